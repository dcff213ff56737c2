package dev.allocation.domain;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Named;

/** The values every identifier and eta of the domain refuses, for the validation tables of each package. */
public final class InvalidValues {

    /** Blank identifiers, blank in the Unicode sense included. */
    public static final List<Named<String>> BLANK = List.of(
            Named.of("one space", " "), Named.of("empty", ""), Named.of("tab and newline", "\t\n"),
            Named.of("only no-break spaces", "\u00a0\u2007\u202f"),
            Named.of("only a zero-width space", "\u200b"),
            Named.of("only a byte order mark and a space", "\ufeff "));

    /** Identifiers holding a control character. */
    public static final List<Named<String>> WITH_A_CONTROL_CHARACTER = List.of(
            Named.of("CR LF and a forged log line", "batch1\r\nINFO forged"),
            Named.of("a line feed", "batch1\n"),
            Named.of("NUL", "batch\u00001"),
            Named.of("bell", "batch\u00071"),
            Named.of("a C1 control", "batch\u00851"));

    /** Etas no store keeps as given: outside the years 1 to 9999. */
    public static final List<Named<LocalDate>> ETAS_OUTSIDE_THE_YEARS_1_TO_9999 = List.of(
            Named.of("year 0", LocalDate.of(0, 12, 31)),
            Named.of("year 10000", LocalDate.of(10_000, 1, 1)),
            Named.of("4714 BC, PostgreSQL's first day", LocalDate.of(-4714, 11, 23)),
            Named.of("past PostgreSQL's last day", LocalDate.of(5_874_898, 1, 1)),
            Named.of("LocalDate.MIN", LocalDate.MIN),
            Named.of("LocalDate.MAX", LocalDate.MAX));

    private InvalidValues() {
    }
}
