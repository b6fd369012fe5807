package org.falab.learning.data;

/**
 * The examples a run trains and tests on, already subset and standardised.
 *
 * @param train training examples (after the seeded subset, if any)
 * @param test test examples (the first {@code testSubset}, if set)
 * @param standardisation the statistics of {@code train} applied to both
 */
public record DataSplits(LabelledExamples train, LabelledExamples test, Standardisation standardisation) {}
