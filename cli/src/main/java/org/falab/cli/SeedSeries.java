package org.falab.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.falab.contracts.stats.SeedStatistics;

/**
 * One quantity over training for each cell of a sweep: per cell (the sweep's group, equal but for the seed) and x
 * (a probe step, or an epoch), the values of its seeds, reduced to mean and sample standard deviation
 * ({@link SeedStatistics}, as the gateway's sweep groups). What a figure of {@link StudyFigures} draws.
 */
public final class SeedSeries {

    /** Mean and spread over the seeds that have a value at one x. */
    public record Point(long x, double mean, double std, int n) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, SortedMap<Long, List<Double>>> values = new LinkedHashMap<>();

    public SeedSeries(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Declares a cell (curves keep the order cells are declared in, also for a cell with no value). */
    public SeedSeries cell(String cell) {
        values.computeIfAbsent(cell, c -> new TreeMap<>());
        return this;
    }

    /** One seed's value of {@code cell} at {@code x}. */
    public void add(String cell, long x, double value) {
        cell(cell);
        values.get(cell).computeIfAbsent(x, k -> new ArrayList<>()).add(value);
    }

    public String title() {
        return title;
    }

    public String xLabel() {
        return xLabel;
    }

    public String yLabel() {
        return yLabel;
    }

    public List<String> cells() {
        return List.copyOf(values.keySet());
    }

    /** Whether no cell has any value (a figure of nothing is not drawn). */
    public boolean isEmpty() {
        return values.values().stream().allMatch(Map::isEmpty);
    }

    /** The cell's points by x. */
    public List<Point> points(String cell) {
        List<Point> points = new ArrayList<>();
        for (Map.Entry<Long, List<Double>> at : values.getOrDefault(cell, Collections.emptySortedMap()).entrySet()) {
            List<Double> seeds = at.getValue();
            points.add(new Point(at.getKey(), SeedStatistics.mean(seeds), SeedStatistics.std(seeds), seeds.size()));
        }
        return points;
    }

    /** The mean over x of the cell's per-x means (the "averaged over training" column), or NaN. */
    public double meanOverX(String cell) {
        return points(cell).stream().mapToDouble(Point::mean).average().orElse(Double.NaN);
    }
}
