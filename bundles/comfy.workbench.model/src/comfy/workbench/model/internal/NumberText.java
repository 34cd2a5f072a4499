package comfy.workbench.model.internal;

import java.math.BigDecimal;

/**
 * A JSON number kept as the text it was written with, so that {@code 8.0}, {@code 1e-05} or a 20-digit
 * seed are written back digit for digit; converted on demand. Gson writes a {@link Number} by its
 * {@link #toString()}.
 */
final class NumberText extends Number {
    private static final long serialVersionUID = 1L;

    private final String text;

    NumberText(String text) {
        this.text = text;
    }

    @Override
    public int intValue() {
        return bigDecimal().intValue();
    }

    @Override
    public long longValue() {
        return bigDecimal().longValue();
    }

    @Override
    public float floatValue() {
        return Float.parseFloat(text);
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    private BigDecimal bigDecimal() {
        return new BigDecimal(text);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NumberText number && number.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
