package comfy.workbench.ui.templates.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.SweepAxis;
import comfy.workbench.templates.api.Template;

/**
 * One row per parameter of a template: its label, a control for its type prefilled with its default (a check box for
 * BOOLEAN, an editable drop-down of the options for COMBO, a text field for the rest, with a Browse… button for IMAGE
 * files and a Random button for seeds) and what it takes. Every field but the check box also takes a sweep (see
 * {@link FormValues}). The controls are named {@code templates.param.<name>} with widget data.
 */
final class ParameterForm {

    private final Composite body;
    private final Template template;
    private final Map<String, Control> fields = new LinkedHashMap<>();
    private final Map<String, Label> labels = new LinkedHashMap<>();

    /**
     * @param kept     texts the user typed for the same template before, by parameter name (kept across a new revision)
     * @param onChange called when a field changes
     */
    ParameterForm(Composite parent, String widgetKey, Template template, Map<String, Object> kept, Runnable onChange) {
        this.template = template;
        body = new Composite(parent, SWT.NONE);
        body.setData(widgetKey, "templates.form");
        GridLayoutFactory.fillDefaults().numColumns(3).margins(6, 4).spacing(8, 4).applyTo(body);
        for (Parameter p : template.parameters()) {
            Label label = new Label(body, SWT.NONE);
            label.setText(p.label() + (p.label().equals(p.name()) ? "" : " (" + p.name() + ")") + ":");
            label.setToolTipText(Formats.tip(p));
            label.setData(widgetKey, "templates.label." + p.name());
            labels.put(p.name(), label);
            Control field = field(body, p, kept.get(p.name()), onChange);
            field.setData(widgetKey, "templates.param." + p.name());
            field.setToolTipText(Formats.tip(p));
            fields.put(p.name(), field);
            if (field.getLayoutData() == null) {
                GridDataFactory.fillDefaults().grab(true, false).hint(200, SWT.DEFAULT).applyTo(field);
            }
            extra(body, widgetKey, p, field, onChange);
        }
    }

    private static Control field(Composite parent, Parameter p, Object kept, Runnable onChange) {
        String initial = kept instanceof String s ? s : Formats.text(p.defaultValue());
        switch (p.type()) {
            case BOOLEAN -> {
                Button check = new Button(parent, SWT.CHECK);
                check.setSelection(kept instanceof Boolean b ? b
                        : p.defaultIfAny().map(d -> d.isJsonPrimitive() && d.getAsBoolean()).orElse(false));
                check.addListener(SWT.Selection, e -> onChange.run());
                return check;
            }
            case COMBO -> {
                // editable: a sweep of several options is typed, and remote combos list no options
                Combo combo = new Combo(parent, SWT.DROP_DOWN);
                combo.setItems(p.options().toArray(String[]::new));
                combo.setVisibleItemCount(Math.min(15, Math.max(1, p.options().size())));
                combo.setText(initial);
                combo.addModifyListener(e -> onChange.run());
                return combo;
            }
            default -> {
                boolean multi = p.type() == comfy.workbench.templates.api.ParameterType.STRING
                        && (initial.contains("\n") || initial.length() > 60);
                Text text = new Text(parent, SWT.BORDER | (multi ? SWT.MULTI | SWT.WRAP | SWT.V_SCROLL : SWT.SINGLE));
                text.setText(initial);
                text.setMessage(Formats.hint(p));
                text.addModifyListener(e -> onChange.run());
                if (multi) {
                    GridDataFactory.fillDefaults().grab(true, false).hint(200, text.getLineHeight() * 3).applyTo(text);
                }
                return text;
            }
        }
    }

    /** The third column: Browse… for images, Random for seeds, what the field takes for the others. */
    private void extra(Composite parent, String widgetKey, Parameter p, Control field, Runnable onChange) {
        switch (p.type()) {
            case IMAGE -> {
                Button browse = new Button(parent, SWT.PUSH);
                browse.setText("Browse\u2026");
                browse.setToolTipText("Pick image files; several make a sweep");
                browse.setData(widgetKey, "templates.browse." + p.name());
                browse.addListener(SWT.Selection, e -> browse(p, (Text) field));
            }
            case INT -> {
                if (p.seed()) {
                    Button random = new Button(parent, SWT.PUSH);
                    random.setText("Random");
                    random.setToolTipText("Draw a new seed for each job");
                    random.setData(widgetKey, "templates.random." + p.name());
                    random.addListener(SWT.Selection, e -> ((Text) field).setText(Parameter.RANDOM));
                } else {
                    hintLabel(parent, p);
                }
            }
            default -> hintLabel(parent, p);
        }
    }

    private static void hintLabel(Composite parent, Parameter p) {
        Label hint = new Label(parent, SWT.NONE);
        hint.setText(Formats.hint(p));
        hint.setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
    }

    private void browse(Parameter p, Text field) {
        FileDialog dialog = new FileDialog(body.getShell(), SWT.OPEN | SWT.MULTI);
        dialog.setText("Image for " + p.label());
        dialog.setFilterExtensions(new String[] { "*.png;*.jpg;*.jpeg;*.webp;*.gif;*.bmp", "*" });
        dialog.setFilterNames(new String[] { "Images", "All files" });
        if (dialog.open() == null) {
            return;
        }
        java.nio.file.Path folder = java.nio.file.Path.of(dialog.getFilterPath());
        field.setText(Arrays.stream(dialog.getFileNames()).map(n -> folder.resolve(n).toString())
                .collect(Collectors.joining(SweepAxis.separator(p.type()))));
    }

    Composite control() {
        return body;
    }

    Template template() {
        return template;
    }

    /** Each field's text, or a {@code Boolean} for a check box; on the UI thread. */
    Map<String, Object> fields() {
        Map<String, Object> values = new LinkedHashMap<>();
        fields.forEach((name, field) -> {
            if (field instanceof Button check) {
                values.put(name, check.getSelection());
            } else if (field instanceof Combo combo) {
                values.put(name, combo.getText());
            } else {
                values.put(name, ((Text) field).getText());
            }
        });
        return values;
    }

    /** Shows the labels of the parameters with bad values in the error colour. */
    void mark(Set<String> bad) {
        Color red = body.getDisplay().getSystemColor(SWT.COLOR_RED);
        labels.forEach((name, label) -> label.setForeground(bad.contains(name) ? red : null));
    }

    void dispose() {
        body.dispose();
    }
}
