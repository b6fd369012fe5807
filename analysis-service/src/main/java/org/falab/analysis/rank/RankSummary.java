package org.falab.analysis.rank;

/**
 * What the analysis service reports about one matrix.
 *
 * @param effectiveRank      Roy-Vetterli effective rank, 0 for an all-zero matrix
 * @param singularValueCount min(rows, cols)
 * @param rows               rows of the matrix (examples)
 * @param cols               columns of the matrix (features)
 * @param nearZeroRows       rows whose norm is below {@link EffectiveRank#NEAR_ZERO_ROW_FRACTION} times the largest
 *                           row norm (every row when the matrix is all zero)
 */
public record RankSummary(double effectiveRank, int singularValueCount, int rows, int cols, int nearZeroRows) {
}
