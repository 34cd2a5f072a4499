package comfy.workbench.model.internal;

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

    /*
     * Only fractions, exponents and -0 are kept as text, and Python reads all of those as floats, so the
     * integral views truncate the double. Going through BigDecimal instead would expand 1e999999999
     * into a billion-digit integer.
     */
    @Override
    public int intValue() {
        return (int) doubleValue();
    }

    @Override
    public long longValue() {
        return (long) doubleValue();
    }

    @Override
    public float floatValue() {
        return Float.parseFloat(text);
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(text);
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
