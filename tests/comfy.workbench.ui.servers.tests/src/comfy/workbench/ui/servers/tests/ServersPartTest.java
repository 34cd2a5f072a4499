package comfy.workbench.ui.servers.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.di.UISynchronize;

import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.ui.DisplaySynchronize;
import comfy.workbench.testing.ui.ViewHost;
import comfy.workbench.testing.ui.Ui;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

import comfy.workbench.connection.api.CredentialProvider;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.ui.servers.internal.ServersPart;

/**
 * Drives the Servers view against a fake ComfyUI server under Xvfb: the part is made by e4 DI in a context backed
 * by the OSGi services, exactly as the workbench makes it, and the assertions read the real widgets.
 */
class ServersPartTest {

    /** Bundles whose services the view needs; the test runtime resolves them but starts only a few bundles. */
    private static final String[] SERVICE_BUNDLES = { "org.eclipse.equinox.event", "org.eclipse.e4.core.di",
            "org.eclipse.e4.core.di.extensions.supplier", "org.eclipse.e4.ui.di", "comfy.workbench.connection",
            "comfy.workbench.monitor", "comfy.workbench.ui.servers" };

    private static final int NAME = 0;
    private static final int URL = 1;
    private static final int HEALTH = 2;
    private static final int LATENCY = 3;
    private static final int VERSION = 4;
    private static final int DEVICES = 5;
    private static final int QUEUE = 6;
    private static final int EVENTS = 7;

    private static Display display;
    private static BundleContext bundleContext;
    private static ServerRegistry registry;

    private FakeComfyServer fake;
    private Shell shell;
    private IEclipseContext context;
    private ServersPart part;
    private Table table;

    @BeforeAll
    static void startServices() throws BundleException {
        Bundle self = FrameworkUtil.getBundle(ServersPart.class);
        self.start(Bundle.START_TRANSIENT);
        bundleContext = self.getBundleContext();
        Osgi.start(SERVICE_BUNDLES);
        ServiceReference<ServerRegistry> ref = bundleContext.getServiceReference(ServerRegistry.class);
        assertTrue(ref != null, "the ServerRegistry DS component is registered");
        registry = bundleContext.getService(ref);
        // the default server is 127.0.0.1:8188, where a developer's own ComfyUI (or `./workbench fake-server`) may
        // answer: the tests see only the servers they add
        registry.remove(ServerDescriptor.DEFAULT_ID);
        display = new Display();
    }

    @AfterAll
    static void disposeDisplay() {
        display.dispose();
    }

    @BeforeEach
    void openView() {
        fake = FakeComfyServer.builder().start();
        Composite parent = ViewHost.shell(display, "Servers view test", 1180, 320);
        shell = parent.getShell();
        context = EclipseContextFactory.getServiceContext(bundleContext).createChild("servers view test");
        context.set(Composite.class, parent);
        context.set(UISynchronize.class, new DisplaySynchronize(display));
        // the objects behind @UIEventTopic take their UISynchronize from the default context, as in the workbench:
        // without it, the view's event handlers are never called and only its poll would show changes
        ContextInjectionFactory.setDefault(context);
        part = ContextInjectionFactory.make(ServersPart.class, context);
        shell.open();
        table = Ui.get(shell, "servers.table", Table.class);
    }

    @AfterEach
    void closeView() {
        registry.servers().stream().filter(s -> s.id().startsWith("test-")).forEach(s -> registry.remove(s.id()));
        ContextInjectionFactory.setDefault(null);
        context.dispose(); // runs the part's @PreDestroy: its poll thread ends
        shell.dispose();
        fake.close();
    }

    @Test
    void showsHealthVersionDevicesAndQueueLiveAndNoticesWhenTheServerGoesAway() {
        registry.add(new ServerDescriptor("test-fake", "Fake ComfyUI", fake.baseUri(), ServerAuth.NONE));

        TableItem row = waitForRow("Fake ComfyUI", r -> r.getText(HEALTH).equals("UP")
                && r.getText(QUEUE).equals("0 running, 0 pending"));
        assertEquals(fake.baseUri().toString(), row.getText(URL));
        assertEquals("0.3.64", row.getText(VERSION));
        assertEquals("cpu  8.0 GiB free / 16.0 GiB", row.getText(DEVICES));
        assertTrue(row.getText(LATENCY).matches("\\d+ ms"), row.getText(LATENCY));
        assertTrue(row.getImage() == null || !row.getImage().isDisposed());
        // the monitor's socket to the server, with its rate of events over the last minute
        row = waitForRow("Fake ComfyUI", r -> r.getText(EVENTS).matches("connected, \\d+/s"));
        assertTrue(Ui.get(shell, "servers.summary", Label.class).getText().contains("1 up"),
                Ui.get(shell, "servers.summary", Label.class).getText());
        Path shot = Ui.screenshot(shell, Path.of("target", "screenshots", "servers-view-up.png"));
        System.out.println("screenshot: " + shot);

        fake.refuseConnections(true);
        // nobody presses Refresh: the view's queue poll fails and has the server probed at once
        row = waitForRow("Fake ComfyUI", r -> r.getText(HEALTH).equals("DOWN"));
        assertEquals("\u2014", row.getText(QUEUE));
        assertEquals("\u2014", row.getText(LATENCY));
        Ui.screenshot(shell, Path.of("target", "screenshots", "servers-view-down.png"));

        fake.refuseConnections(false);
        part.refresh();
        waitForRow("Fake ComfyUI", r -> r.getText(HEALTH).equals("UP"));
    }

    @Test
    void showsDegradedWhenPartOfTheProbeFailsAndKeepsPollingTheQueue() {
        fake.failWith500("GET /features");
        part.add(new ServerDescriptor("test-degraded", "Half Broken", fake.baseUri(), ServerAuth.NONE));

        TableItem row = waitForRow("Half Broken", r -> r.getText(HEALTH).equals("DEGRADED")
                && r.getText(QUEUE).equals("0 running, 0 pending"));
        assertEquals("0.3.64", row.getText(VERSION), "system_stats answered, so its facts are shown");
        assertTrue(Ui.get(shell, "servers.summary", Label.class).getText().contains("1 degraded"),
                Ui.get(shell, "servers.summary", Label.class).getText());

        fake.clearFaults();
        part.refresh();
        waitForRow("Half Broken", r -> r.getText(HEALTH).equals("UP"));
    }

    @Test
    void testConnectionReportsTheProbeOfTheSelectedServer() {
        part.add(new ServerDescriptor("test-probe", "Probe Me", fake.baseUri(), ServerAuth.NONE));
        waitForRow("Probe Me", r -> r.getText(HEALTH).equals("UP"));
        assertEquals("test-probe", part.selection().map(ServerDescriptor::id).orElse(""));

        part.testConnection();
        CLabel message = Ui.get(shell, "servers.message", CLabel.class);
        Ui.waitUntil(display, "the test result", () -> message.getText().startsWith("Probe Me is UP ("),
                message::getText);
        assertTrue(message.getText().endsWith("ms), ComfyUI 0.3.64"), message.getText());
        Ui.screenshot(shell, Path.of("target", "screenshots", "servers-view-tested.png"));

        fake.stop();
        part.testConnection();
        Ui.waitUntil(display, "the failed test result", () -> message.getText().startsWith("Probe Me is DOWN: "),
                message::getText);
        assertEquals("DOWN", row("Probe Me").orElseThrow().getText(HEALTH));
    }

    @Test
    void addsEditsAndRemovesServersThroughTheDialog() {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        onDialog(failure, dialog -> {
            Button ok = Ui.get(dialog, "server.ok", Button.class);
            Ui.get(dialog, "server.id", Text.class).setText("test-dialog");
            Ui.get(dialog, "server.label", Text.class).setText("From the Dialog");
            Ui.get(dialog, "server.url", Text.class).setText("ftp://127.0.0.1/");
            assertFalse(ok.isEnabled(), "OK is disabled for a URL that is not http(s)");
            Ui.get(dialog, "server.url", Text.class).setText(fake.baseUri() + "/");
            assertTrue(ok.isEnabled(), "OK is enabled for a valid server");
            Combo auth = Ui.get(dialog, "server.auth", Combo.class);
            auth.select(1);
            Ui.click(auth);
            assertFalse(ok.isEnabled(), "a bearer token is required");
            Text token = Ui.get(dialog, "server.token", Text.class);
            assertTrue((token.getStyle() & SWT.PASSWORD) != 0, "secrets are typed into password fields");
            token.setText("s3cret");
            Ui.screenshot(dialog, Path.of("target", "screenshots", "server-dialog.png"));
            Ui.click(ok);
        });
        part.addServer();
        assertEquals(null, failure.get());
        ServerDescriptor added = registry.server("test-dialog").orElseThrow();
        assertEquals(new ServerAuth.Bearer("s3cret"), added.auth());
        assertEquals(fake.baseUri(), added.baseUrl(), "the URL is normalised");
        waitForRow("From the Dialog", r -> r.getText(URL).equals(fake.baseUri().toString()));

        // a second entry of the same server is allowed (another auth, say) but warned of
        onDialog(failure, dialog -> {
            Ui.get(dialog, "server.id", Text.class).setText("test-twin");
            Ui.get(dialog, "server.url", Text.class).setText(fake.baseUri().toString());
            List<String> texts = texts(dialog);
            assertTrue(texts.stream().anyMatch(t -> t.contains("\"From the Dialog\" is this server too")), texts.toString());
            // this machine by another name is the same server
            Ui.get(dialog, "server.url", Text.class).setText(fake.baseUri().toString().replace("127.0.0.1", "localhost"));
            List<String> byName = texts(dialog);
            assertTrue(byName.stream().anyMatch(t -> t.contains("\"From the Dialog\" is this server too")), byName.toString());
            assertTrue(Ui.get(dialog, "server.ok", Button.class).isEnabled());
            Ui.click(Ui.get(dialog, "server.cancel", Button.class));
        });
        part.addServer();
        assertEquals(null, failure.get());
        assertTrue(registry.server("test-twin").isEmpty());

        part.select("test-dialog");
        onDialog(failure, dialog -> {
            Text fixedId = Ui.get(dialog, "server.id", Text.class);
            assertFalse(fixedId.getEditable(), "the id of a server never changes");
            assertEquals(fixedId.getParent().getBackground(), fixedId.getBackground(), "and does not look editable");
            assertEquals("", Ui.get(dialog, "server.token", Text.class).getText(), "a stored secret is not shown");
            Ui.get(dialog, "server.label", Text.class).setText("Renamed");
            Ui.click(Ui.get(dialog, "server.ok", Button.class));
        });
        part.editSelected();
        assertEquals(null, failure.get());
        assertEquals("Renamed", registry.server("test-dialog").orElseThrow().label());
        assertEquals(new ServerAuth.Bearer("s3cret"), registry.server("test-dialog").orElseThrow().auth(),
                "an empty secret field keeps the stored secret");
        waitForRow("Renamed", r -> true);
        assertTrue(row("From the Dialog").isEmpty());

        assertTrue(part.remove("test-dialog"));
        assertTrue(row("Renamed").isEmpty());
        assertTrue(registry.server("test-dialog").isEmpty());
    }

    @Test
    void aServersCredentialsCanBeProvidedByANamedProviderChosenInTheDialog() {
        FakeComfyServer proxied = FakeComfyServer.builder().bearerToken("tok-ui").start();
        org.osgi.framework.ServiceRegistration<CredentialProvider> registration = bundleContext.registerService(
                CredentialProvider.class, server -> new ServerAuth.Headers(java.util.Map.of("Authorization", "Bearer tok-ui")),
                new java.util.Hashtable<>(java.util.Map.of(CredentialProvider.NAME, "studio-vault")));
        try {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            onDialog(failure, dialog -> {
                Ui.get(dialog, "server.id", Text.class).setText("test-provided");
                Ui.get(dialog, "server.label", Text.class).setText("Behind the Proxy");
                Ui.get(dialog, "server.url", Text.class).setText(proxied.baseUri().toString());
                Combo auth = Ui.get(dialog, "server.auth", Combo.class);
                auth.select(Arrays.asList(auth.getItems()).indexOf("Provided by"));
                Ui.click(auth);
                Button ok = Ui.get(dialog, "server.ok", Button.class);
                assertFalse(ok.isEnabled(), "a provider must be named");
                Combo provider = Ui.get(dialog, "server.provider", Combo.class);
                assertEquals(List.of("studio-vault", "token-file"), List.of(provider.getItems()),
                        "the registered providers are offered, the built-in one too");
                provider.setText("no-such-vault");
                assertTrue(ok.isEnabled(), "a provider not registered yet can be named");
                List<String> texts = texts(dialog);
                assertTrue(texts.stream().anyMatch(t -> t.contains("No credential provider named 'no-such-vault' is registered")
                        && t.contains("studio-vault, token-file")), texts.toString());
                provider.setText("studio-vault");
                assertTrue(texts(dialog).stream().noneMatch(t -> t.contains("No credential provider named")),
                        texts(dialog).toString());
                Ui.screenshot(dialog, Path.of("target", "screenshots", "server-dialog-provided.png"));
                Ui.click(ok);
            });
            part.addServer();
            assertEquals(null, failure.get());
            assertEquals(new ServerAuth.Provided("studio-vault"), registry.server("test-provided").orElseThrow().auth());
            // the health probe passes the proxy with the provider's token
            waitForRow("Behind the Proxy", r -> r.getText(HEALTH).equals("UP"));

            part.select("test-provided");
            onDialog(failure, dialog -> {
                assertEquals("Provided by", Ui.get(dialog, "server.auth", Combo.class).getText());
                assertEquals("studio-vault", Ui.get(dialog, "server.provider", Combo.class).getText());
                assertTrue(texts(dialog).stream().noneMatch(t -> t.contains("Leave a secret empty")),
                        "provided auth has no stored secret");
                Ui.click(Ui.get(dialog, "server.cancel", Button.class));
            });
            part.editSelected();
            assertEquals(null, failure.get());
        } finally {
            registration.unregister();
            proxied.close();
        }
    }

    /** Every text a dialog shows (labels, message area, fields). */
    private static List<String> texts(org.eclipse.swt.widgets.Composite root) {
        List<String> texts = new java.util.ArrayList<>();
        for (org.eclipse.swt.widgets.Control c : root.getChildren()) {
            if (c instanceof Label l) {
                texts.add(l.getText());
            } else if (c instanceof org.eclipse.swt.custom.CLabel l) {
                texts.add(l.getText());
            } else if (c instanceof Text t) {
                texts.add(t.getText());
            }
            if (c instanceof org.eclipse.swt.widgets.Composite child) {
                texts.addAll(texts(child));
            }
        }
        return texts;
    }

    /** Has the next dialog that opens filled in by {@code steps}, run inside the dialog's own event loop. */
    private void onDialog(AtomicReference<Throwable> failure, java.util.function.Consumer<Shell> steps) {
        Runnable[] attempt = new Runnable[1];
        attempt[0] = () -> {
            Optional<Shell> dialog = Ui.shell(display, "server.dialog");
            if (dialog.isEmpty()) {
                display.timerExec(20, attempt[0]);
                return;
            }
            try {
                steps.accept(dialog.get());
            } catch (Throwable t) {
                failure.set(t);
                Ui.click(Ui.get(dialog.get(), "server.cancel", Button.class));
            }
        };
        display.asyncExec(attempt[0]);
    }

    private TableItem waitForRow(String name, java.util.function.Predicate<TableItem> condition) {
        Ui.waitUntil(display, "row " + name, () -> row(name).filter(condition).isPresent(), this::dump);
        return row(name).orElseThrow();
    }

    private Optional<TableItem> row(String name) {
        return Arrays.stream(table.getItems()).filter(i -> i.getText(NAME).equals(name)).findFirst();
    }

    private String dump() {
        return "table: " + Ui.dump(table);
    }
}
