package comfy.workbench.ui.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the views show a moment: short in a cell, whole in a tooltip, in the system's time zone. */
public final class Times {

    /** What a cell shows when there is nothing to show, rather than an empty cell that looks like a bug. */
    public static final String NONE = "\u2014";

    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZONE);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZONE);

    private Times() {
    }

    /** A time of today as {@code HH:mm:ss}, of another day with its date; {@link #NONE} for none. */
    public static String time(Instant when) {
        if (when == null) {
            return NONE;
        }
        return LocalDate.ofInstant(when, ZONE).equals(LocalDate.now(ZONE)) ? TIME.format(when) : DATE_TIME.format(when);
    }

    /** Date and time; {@code absent} for none. */
    public static String fullTime(Instant when, String absent) {
        return when == null ? absent : DATE_TIME.format(when);
    }
}
