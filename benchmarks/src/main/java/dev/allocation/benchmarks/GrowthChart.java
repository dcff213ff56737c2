package dev.allocation.benchmarks;

import java.awt.*;
import java.io.IOException;
import java.nio.file.Path;
import java.util.*;
import org.jfree.chart.*;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.*;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.*;

/**
 * The growth chart: mean time per Allocate (log scale) against the allocations the sku already holds
 * (log scale, 0 drawn at 100), a solid line per store through the service, a dashed one for its raw twin.
 */
final class GrowthChart {

    private static final Map<Store, Color> COLORS = Map.of(Store.MEMORY, new Color(0x2ca02c),
            Store.H2_MEMORY, new Color(0x1f77b4), Store.H2_FILE, new Color(0xff7f0e), Store.POSTGRESQL, new Color(0xd62728));

    private GrowthChart() {
    }

    static void write(BenchmarkSuite.Results results, Path file) throws IOException {
        if (results.growth.isEmpty()) {
            return;
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (Store store : results.stores) {
            XYSeries service = new XYSeries(store + " (service)");
            XYSeries raw = new XYSeries(store + " (raw SQL twin)");
            for (GrowthScenario.Row row : results.growth(store)) {
                service.add(Math.max(100, row.held()), row.service());
                if (row.raw() != null) {
                    raw.add(Math.max(100, row.held()), row.raw());
                }
            }
            if (service.isEmpty()) {
                continue;
            }
            renderer.setSeriesPaint(data.getSeriesCount(), COLORS.get(store));
            renderer.setSeriesStroke(data.getSeriesCount(), new BasicStroke(2.5f));
            data.addSeries(service);
            if (!raw.isEmpty()) {
                renderer.setSeriesPaint(data.getSeriesCount(), COLORS.get(store));
                renderer.setSeriesStroke(data.getSeriesCount(), new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                data.addSeries(raw);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Time per Allocate against allocations already held ("
                + results.settings.mode() + " run, one thread)", "", "", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(renderer);
        plot.setDomainAxis(new LogAxis("allocations the sku already holds (0 drawn at 100)"));
        plot.setRangeAxis(new LogAxis("mean time per Allocate, µs"));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 560);
    }
}
