package comfy.workbench.ui.servers.internal;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.IMessageProvider;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.SystemStats;

/**
 * Adds or edits a server: id (fixed once the server exists, since jobs and files refer to it), label, URL and auth.
 * Every keystroke is validated with the connection API's own rules, and OK is enabled only for a valid server. The
 * Test button tries the settings as typed, before they are saved, off the UI thread.
 */
final class ServerDialog extends TitleAreaDialog {

    private static final int TEST_ID = IDialogConstants.CLIENT_ID + 1;
    private static final int LABEL_WIDTH = 110;

    private final ServerDescriptor existing;
    private final List<ServerDescriptor> others;
    private final ComfyClients clients;
    private final SortedSet<String> providers;
    private Text id;
    private Text label;
    private Text url;
    private AuthEditor auth;
    private ServerDescriptor result;
    private boolean ready;
    /** Whether the user has typed anything: before that, what is missing is a hint, not an error. */
    private boolean touched;

    /**
     * @param existing the server to edit, or {@code null} to add one
     * @param others   the servers already registered (their ids are taken; a second entry of one URL is warned of)
     * @param clients   for the Test button; {@code null} disables it
     * @param providers the names of the credential providers registered now
     */
    ServerDialog(Shell parent, ServerDescriptor existing, List<ServerDescriptor> others, ComfyClients clients,
            SortedSet<String> providers) {
        super(parent);
        this.existing = existing;
        this.others = List.copyOf(others);
        this.clients = clients;
        this.providers = new TreeSet<>(providers);
    }

    /** The server as entered, after OK. */
    ServerDescriptor result() {
        return Objects.requireNonNull(result, "the dialog was not confirmed");
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText(existing == null ? "Add Server" : "Edit Server");
        shell.setData(ServersPart.WIDGET_KEY, "server.dialog");
    }

    @Override
    protected boolean isResizable() {
        return true;
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        setTitle(existing == null ? "Add a ComfyUI server" : "Edit " + existing.label());
        Composite form = new Composite(area, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(form);
        GridLayoutFactory.swtDefaults().numColumns(2).margins(10, 10).applyTo(form);

        id = text(form, "&Id:", "server.id");
        label = text(form, "&Label:", "server.label");
        url = text(form, "&URL:", "server.url");
        url.setMessage("http://127.0.0.1:8188");
        if (existing != null) {
            id.setText(existing.id());
            id.setEditable(false);
            // GTK draws a read-only text like an editable one: the form's background says it is fixed
            id.setBackground(form.getBackground());
            id.setToolTipText("Fixed once the server exists: jobs and files refer to it");
            label.setText(existing.label());
            url.setText(existing.baseUrl().toString());
        }
        Label separator = new Label(form, SWT.SEPARATOR | SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().span(2, 1).grab(true, false).applyTo(separator);
        auth = new AuthEditor(form, existing == null ? ServerAuth.NONE : existing.auth(), providers, () -> {
            touched = true;
            validate();
        });
        ready = true;
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        Button test = createButton(parent, TEST_ID, "&Test", false);
        test.setData(ServersPart.WIDGET_KEY, "server.test");
        test.setEnabled(clients != null);
        super.createButtonsForButtonBar(parent);
        getButton(IDialogConstants.OK_ID).setData(ServersPart.WIDGET_KEY, "server.ok");
        getButton(IDialogConstants.CANCEL_ID).setData(ServersPart.WIDGET_KEY, "server.cancel");
        validate();
    }

    @Override
    protected void buttonPressed(int buttonId) {
        if (buttonId == TEST_ID) {
            test();
        } else {
            super.buttonPressed(buttonId);
        }
    }

    @Override
    protected void okPressed() {
        if (validate()) {
            super.okPressed();
        }
    }

    private Text text(Composite parent, String labelText, String key) {
        label(parent, labelText);
        Text text = new Text(parent, SWT.BORDER | SWT.SINGLE);
        text.setData(ServersPart.WIDGET_KEY, key);
        GridDataFactory.fillDefaults().grab(true, false).hint(360, SWT.DEFAULT).applyTo(text);
        text.addListener(SWT.Modify, e -> {
            touched = true;
            validate();
        });
        return text;
    }

    /**
     * A form label of the same width everywhere, so that the fields of the auth pages (nested composites) line up
     * with the fields above them.
     */
    static Label label(Composite parent, String text) {
        Label label = new Label(parent, SWT.NONE);
        label.setText(text);
        GridDataFactory.swtDefaults().hint(LABEL_WIDTH, SWT.DEFAULT).applyTo(label);
        return label;
    }

    /**
     * Whether two URLs name one server: equal, or both this machine (localhost, 127.x.x.x, ::1) with the same scheme,
     * port and path (as {@code comfy} matches a --server URL: the pre-registered local server is 127.0.0.1).
     */
    static boolean sameServer(URI a, URI b) {
        if (a.equals(b)) {
            return true;
        }
        return loopback(a) && loopback(b) && a.getScheme().equalsIgnoreCase(b.getScheme()) && port(a) == port(b)
                && Objects.equals(a.getPath(), b.getPath());
    }

    private static boolean loopback(URI u) {
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** Builds the server from the fields; shows why not and disables OK when they do not make one. */
    private boolean validate() {
        if (!ready || getButton(IDialogConstants.OK_ID) == null) {
            return false; // still building the dialog
        }
        try {
            String idText = id.getText().strip();
            if (existing == null && others.stream().anyMatch(s -> s.id().equals(idText))) {
                throw new IllegalArgumentException("a server with id '" + idText + "' exists already");
            }
            if (url.getText().isBlank()) {
                throw new IllegalArgumentException("enter the server's URL, e.g. http://127.0.0.1:8188");
            }
            result = new ServerDescriptor(idText, label.getText(), ServerDescriptor.parseUrl(url.getText()),
                    auth.auth());
            setErrorMessage(null);
            ServerDescriptor built = result;
            String twin = others.stream().filter(s -> !s.id().equals(built.id()) && sameServer(s.baseUrl(), built.baseUrl()))
                    .map(ServerDescriptor::label).findFirst().orElse(null);
            if (built.auth() instanceof ServerAuth.Provided provided && !providers.contains(provided.provider())) {
                // allowed: the provider's bundle may be installed later; until then every request fails
                setMessage("No credential provider named '" + provided.provider() + "' is registered"
                        + (providers.isEmpty() ? "" : " (there are: " + String.join(", ", providers) + ")")
                        + ": requests to this server fail until one is.", IMessageProvider.WARNING);
            } else if (twin != null) {
                // allowed (another auth, say), but the queue would count one server's slots twice
                setMessage("\"" + twin + "\" is this server too (its URL, or this machine by another name): two entries"
                        + " of one server send it jobs as if it were two.", IMessageProvider.WARNING);
            } else {
                setMessage(auth.hasStoredSecret() ? "Secrets are not shown. Leave a secret empty to keep the stored one."
                        : "The server's id cannot be changed later; jobs and files refer to it.",
                        IMessageProvider.INFORMATION);
            }
            getButton(IDialogConstants.OK_ID).setEnabled(true);
            getButton(TEST_ID).setEnabled(clients != null);
            return true;
        } catch (IllegalArgumentException e) {
            result = null;
            if (touched) {
                setErrorMessage(e.getMessage());
            } else {
                setMessage("Enter an id, a label and the URL of the ComfyUI server.", IMessageProvider.NONE);
            }
            getButton(IDialogConstants.OK_ID).setEnabled(false);
            getButton(TEST_ID).setEnabled(false);
            return false;
        }
    }

    /** Tries the settings as typed; the answer is shown in the message area. */
    private void test() {
        if (!validate()) {
            return;
        }
        ServerDescriptor candidate = result;
        Button button = getButton(TEST_ID);
        Display display = getShell().getDisplay();
        button.setEnabled(false);
        setMessage("Connecting to " + candidate.baseUrl() + "\u2026", IMessageProvider.INFORMATION);
        CompletableFuture.supplyAsync(() -> {
            try {
                SystemStats stats = clients.client(candidate).systemStats();
                return "Connected: ComfyUI " + (stats.comfyuiVersion().isEmpty() ? "(version unknown)"
                        : stats.comfyuiVersion()) + ", " + stats.devices().size() + " device(s).";
            } catch (ComfyException e) {
                return "Failed: " + e.getMessage();
            }
        }).thenAccept(outcome -> {
            if (display.isDisposed()) {
                return;
            }
            display.asyncExec(() -> {
                if (!button.isDisposed()) {
                    button.setEnabled(true);
                    setMessage(outcome, outcome.startsWith("Connected") ? IMessageProvider.INFORMATION
                            : IMessageProvider.WARNING);
                }
            });
        });
    }
}
