package comfy.workbench.ui.servers.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import comfy.workbench.connection.api.ServerAuth;

/**
 * The auth part of the server dialog: a kind (none, bearer token, basic, custom headers, provided by a credential
 * provider) and the fields of that kind.
 * Secrets are typed into password fields and never shown: when a server is edited, an empty secret field keeps the
 * stored secret, so that the user need not know it to change the label or URL.
 */
final class AuthEditor {

    private static final String[] KINDS = { "None", "Bearer token", "Basic (user and password)", "Custom headers",
            "Provided by" };
    private static final int NONE = 0;
    private static final int BEARER = 1;
    private static final int BASIC = 2;
    private static final int HEADERS = 3;
    private static final int PROVIDED = 4;

    private final ServerAuth stored;
    private final Runnable changed;
    private final Combo kind;
    private final Composite pages;
    private final StackLayout stack = new StackLayout();
    private final Composite[] page = new Composite[KINDS.length];
    private final Text token;
    private final Text user;
    private final Text password;
    private final Composite headerRows;
    private final List<Text[]> headers = new ArrayList<>();
    private final Combo provider;

    /**
     * @param stored    the server's auth when editing, {@link ServerAuth#NONE} when adding
     * @param providers the names of the credential providers registered now, offered for provided auth
     * @param changed   called after every edit
     */
    AuthEditor(Composite parent, ServerAuth stored, Collection<String> providers, Runnable changed) {
        this.stored = stored;
        this.changed = changed;
        ServerDialog.label(parent, "&Authentication:");
        kind = new Combo(parent, SWT.READ_ONLY | SWT.DROP_DOWN);
        kind.setItems(KINDS);
        kind.setData(ServersPart.WIDGET_KEY, "server.auth");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(kind);

        pages = new Composite(parent, SWT.NONE);
        pages.setLayout(stack);
        GridDataFactory.fillDefaults().span(2, 1).grab(true, true).applyTo(pages);

        page[NONE] = page();
        Label none = new Label(page[NONE], SWT.WRAP);
        none.setText("Requests are sent without credentials, as to a plain local ComfyUI.");
        GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(360, SWT.DEFAULT).applyTo(none);

        page[BEARER] = page();
        token = field(page[BEARER], "&Token:", "server.token", true);

        page[BASIC] = page();
        user = field(page[BASIC], "&User:", "server.user", false);
        password = field(page[BASIC], "&Password:", "server.password", true);

        page[HEADERS] = page();
        headerRows = new Composite(page[HEADERS], SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(headerRows);
        GridDataFactory.fillDefaults().span(2, 1).grab(true, false).applyTo(headerRows);
        Button more = new Button(page[HEADERS], SWT.PUSH);
        more.setText("Add &Header");
        more.setData(ServersPart.WIDGET_KEY, "server.header.add");
        more.addListener(SWT.Selection, e -> {
            addHeaderRow("");
            pages.getShell().layout(true, true);
            changed.run();
        });

        page[PROVIDED] = page();
        ServerDialog.label(page[PROVIDED], "P&rovider:");
        // editable: a provider whose bundle is not installed yet can still be named
        provider = new Combo(page[PROVIDED], SWT.DROP_DOWN);
        provider.setItems(providers.toArray(String[]::new));
        provider.setData(ServersPart.WIDGET_KEY, "server.provider");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(provider);
        provider.addListener(SWT.Modify, e -> changed.run());
        Label provided = new Label(page[PROVIDED], SWT.WRAP);
        provided.setText("The credential provider of this name supplies the headers before every request; "
                + "nothing secret is stored here.");
        GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(360, SWT.DEFAULT).applyTo(provided);

        load(stored);
        kind.addListener(SWT.Selection, e -> {
            show(kind.getSelectionIndex());
            changed.run();
        });
    }

    /** The auth as entered; throws {@link IllegalArgumentException} with a message for the user when incomplete. */
    ServerAuth auth() {
        switch (kind.getSelectionIndex()) {
        case BEARER:
            if (token.getText().isEmpty() && stored instanceof ServerAuth.Bearer b) {
                return b;
            }
            return new ServerAuth.Bearer(token.getText());
        case BASIC:
            String pw = password.getText().isEmpty() && stored instanceof ServerAuth.Basic b ? b.password()
                    : password.getText();
            return new ServerAuth.Basic(user.getText().strip(), pw);
        case HEADERS:
            Map<String, String> values = new LinkedHashMap<>();
            for (Text[] row : headers) {
                String name = row[0].getText().strip();
                if (name.isEmpty()) {
                    continue;
                }
                String value = row[1].getText();
                if (value.isEmpty() && stored instanceof ServerAuth.Headers h && h.values().containsKey(name)) {
                    value = h.values().get(name);
                }
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("header " + name + " needs a value");
                }
                values.put(name, value);
            }
            return new ServerAuth.Headers(values);
        case PROVIDED:
            if (provider.getText().isBlank()) {
                throw new IllegalArgumentException("name the credential provider");
            }
            return new ServerAuth.Provided(provider.getText());
        default:
            return ServerAuth.NONE;
        }
    }

    /** Whether a stored secret is kept when its field stays empty: the dialog says so. */
    boolean hasStoredSecret() {
        return !(stored instanceof ServerAuth.None) && !(stored instanceof ServerAuth.Provided);
    }

    private void load(ServerAuth auth) {
        if (auth instanceof ServerAuth.Bearer) {
            kind.select(BEARER);
        } else if (auth instanceof ServerAuth.Basic basic) {
            kind.select(BASIC);
            // the user name is not a secret; the password is never put back into a field
            user.setText(basic.user());
        } else if (auth instanceof ServerAuth.Headers h) {
            kind.select(HEADERS);
            h.values().keySet().forEach(this::addHeaderRow);
        } else if (auth instanceof ServerAuth.Provided p) {
            kind.select(PROVIDED);
            provider.setText(p.provider());
        } else {
            kind.select(NONE);
        }
        if (headers.isEmpty()) {
            addHeaderRow("");
        }
        show(kind.getSelectionIndex());
    }

    private void show(int index) {
        stack.topControl = page[index];
        pages.layout();
    }

    private Composite page() {
        Composite c = new Composite(pages, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(c);
        return c;
    }

    private Text field(Composite parent, String label, String key, boolean secret) {
        ServerDialog.label(parent, label);
        Text text = new Text(parent, SWT.BORDER | SWT.SINGLE | (secret ? SWT.PASSWORD : SWT.NONE));
        text.setData(ServersPart.WIDGET_KEY, key);
        if (secret && hasStoredSecretFor(key)) {
            text.setMessage("unchanged");
        }
        GridDataFactory.fillDefaults().grab(true, false).applyTo(text);
        text.addListener(SWT.Modify, e -> changed.run());
        return text;
    }

    private boolean hasStoredSecretFor(String key) {
        return key.equals("server.token") ? stored instanceof ServerAuth.Bearer
                : stored instanceof ServerAuth.Basic;
    }

    private void addHeaderRow(String name) {
        int index = headers.size();
        Text n = new Text(headerRows, SWT.BORDER | SWT.SINGLE);
        n.setMessage("Header name");
        n.setText(name);
        n.setData(ServersPart.WIDGET_KEY, "server.header.name." + index);
        GridDataFactory.fillDefaults().hint(140, SWT.DEFAULT).applyTo(n);
        Text v = new Text(headerRows, SWT.BORDER | SWT.SINGLE | SWT.PASSWORD);
        v.setMessage(name.isEmpty() ? "Value" : "unchanged");
        v.setData(ServersPart.WIDGET_KEY, "server.header.value." + index);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(v);
        n.addListener(SWT.Modify, e -> changed.run());
        v.addListener(SWT.Modify, e -> changed.run());
        headers.add(new Text[] { n, v });
    }
}
