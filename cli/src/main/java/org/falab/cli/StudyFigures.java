package org.falab.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Draws a {@link SeedSeries} as a PNG with JFreeChart, headless: one line per cell at the mean over seeds, a shaded
 * band of mean ± one standard deviation, a marker at each x. The colours are fixed per cell position, so a cell has
 * the same colour in every figure of one report.
 */
public final class StudyFigures {

    public static final int WIDTH = 1200;
    public static final int HEIGHT = 720;

    /** Distinguishable on white, for up to 20 cells (then they repeat). */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
        new Color(0x393b79), new Color(0xad494a), new Color(0x637939), new Color(0xe7969c), new Color(0x7b4173),
        new Color(0x8c6d31), new Color(0x3182bd), new Color(0x31a354), new Color(0x756bb1), new Color(0x636363)};

    static {
        // no display on a server or in CI; Java2D draws into an image without one
        System.setProperty("java.awt.headless", "true");
    }

    private StudyFigures() {
    }

    /** The chart's data: one series per cell (key: the cell), an item per x with its mean and mean ± std. */
    public static YIntervalSeriesCollection dataset(SeedSeries series) {
        YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
        for (String cell : series.cells()) {
            YIntervalSeries curve = new YIntervalSeries(cell, true, false);
            for (SeedSeries.Point p : series.points(cell)) {
                curve.add(p.x(), p.mean(), p.mean() - p.std(), p.mean() + p.std());
            }
            dataset.addSeries(curve);
        }
        return dataset;
    }

    public static JFreeChart chart(SeedSeries series, String subtitle) {
        YIntervalSeriesCollection dataset = dataset(series);
        NumberAxis x = new NumberAxis(series.xLabel());
        x.setAutoRangeIncludesZero(true);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis(series.yLabel());
        y.setAutoRangeIncludesZero(false);
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.15f);
        for (int i = 0; i < dataset.getSeriesCount(); i++) {
            Color colour = PALETTE[i % PALETTE.length];
            renderer.setSeriesPaint(i, colour);
            renderer.setSeriesFillPaint(i, colour);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        return styled(new XYPlot(dataset, x, y, renderer), series.title(), subtitle);
    }

    /** White background, light grid, the title, the subtitle and the legend on the right. */
    private static JFreeChart styled(XYPlot plot, String title, String subtitle) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (subtitle != null) {
            chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        }
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return chart;
    }

    /** A scatter's data: one series per cell (key: the cell), an item per point. */
    public static XYSeriesCollection dataset(SaturationScatter scatter) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        for (Map.Entry<String, List<SaturationScatter.Point>> cell : scatter.cells().entrySet()) {
            XYSeries points = new XYSeries(cell.getKey(), false, true);
            cell.getValue().forEach(p -> points.add(p.nearZeroRows(), p.effectiveRank()));
            dataset.addSeries(points);
        }
        return dataset;
    }

    /** Writes the scatter as a {@link #WIDTH} x {@link #HEIGHT} PNG, in the cells' colours of the other figures. */
    public static void write(SaturationScatter scatter, String subtitle, Path png) throws IOException {
        XYSeriesCollection dataset = dataset(scatter);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < dataset.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        NumberAxis x = new NumberAxis("near-zero rows of the probe batch's error signal");
        NumberAxis y = new NumberAxis("effective rank");
        ChartUtils.saveChartAsPNG(png.toFile(), styled(new XYPlot(dataset, x, y, renderer), scatter.title(),
                subtitle), WIDTH, HEIGHT);
    }

    /** Writes the figure as a {@link #WIDTH} x {@link #HEIGHT} PNG. */
    public static void write(SeedSeries series, String subtitle, Path png) throws IOException {
        ChartUtils.saveChartAsPNG(png.toFile(), chart(series, subtitle), WIDTH, HEIGHT);
    }

    /** A file name of letters, digits, '-' and '.' for a layer or quantity name. */
    static String fileName(String... parts) {
        return String.join("-", List.of(parts)).replaceAll("[^A-Za-z0-9.-]+", "-") + ".png";
    }
}
