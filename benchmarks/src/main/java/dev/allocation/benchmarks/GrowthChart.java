package dev.allocation.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The growth chart: mean time per Allocate (log scale) against the allocations the sku already holds,
 * one solid line per store through the service, one dashed line per database for the raw reference.
 */
final class GrowthChart {

    private static final Map<Store, Color> COLORS = Map.of(
            Store.MEMORY, new Color(0x2ca02c),
            Store.H2_MEMORY, new Color(0x1f77b4),
            Store.H2_FILE, new Color(0xff7f0e),
            Store.POSTGRESQL, new Color(0xd62728));

    private GrowthChart() {
    }

    static void write(SuiteResults results, Path file) throws IOException {
        if (results.growth.isEmpty()) {
            return;
        }
        List<Integer> levels = results.settings.growthLevels();
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int series = 0;
        for (Store store : results.stores) {
            List<GrowthScenario.Row> rows = results.growth(store);
            if (rows.isEmpty()) {
                continue;
            }
            XYSeries service = new XYSeries(store.label() + " (service)");
            for (int i = 0; i < rows.size(); i++) {
                service.add(i, rows.get(i).service().mean());
            }
            data.addSeries(service);
            renderer.setSeriesPaint(series, COLORS.get(store));
            renderer.setSeriesStroke(series, new BasicStroke(2.5f));
            series++;
            if (store.isJdbc()) {
                XYSeries raw = new XYSeries(store.label() + " (raw SQL reference)");
                for (int i = 0; i < rows.size(); i++) {
                    raw.add(i, rows.get(i).raw().mean());
                }
                data.addSeries(raw);
                renderer.setSeriesPaint(series, COLORS.get(store));
                renderer.setSeriesStroke(series, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                        10f, new float[] {6f, 4f}, 0f));
                series++;
            }
        }
        NumberAxis x = new NumberAxis("allocations the sku already holds");
        x.setRange(-0.2, levels.size() - 0.8);
        x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1, new java.text.NumberFormat() {
            @Override
            public StringBuffer format(double number, StringBuffer buffer, java.text.FieldPosition position) {
                int index = (int) Math.round(number);
                return buffer.append(index >= 0 && index < levels.size()
                        ? String.format(Locale.ROOT, "%,d", levels.get(index)) : "");
            }

            @Override
            public StringBuffer format(long number, StringBuffer buffer, java.text.FieldPosition position) {
                return format((double) number, buffer, position);
            }

            @Override
            public Number parse(String source, java.text.ParsePosition position) {
                return null;
            }
        }));
        LogAxis y = new LogAxis("mean time per Allocate (µs, log scale)");
        y.setBase(10);
        y.setSmallestValue(0.1);
        y.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
        y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));   // one tick per decade
        y.setMinorTickCount(9);
        y.setMinorTickMarksVisible(true);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("Time per Allocate against allocations already held",
                new Font("SansSerif", Font.BOLD, 16), plot, true);
        chart.addSubtitle(new TextTitle("one thread, " + results.settings.mode() + " run; flat is the goal"
                + " (bar: at 100,000 at most 1.5x the time at 0)"));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 560);
    }
}
