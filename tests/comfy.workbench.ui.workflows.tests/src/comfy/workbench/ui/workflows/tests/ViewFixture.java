package comfy.workbench.ui.workflows.tests;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.swt.widgets.Display;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;
import comfy.workbench.testing.ui.ViewHost;
import comfy.workbench.ui.workflows.internal.WorkflowsPart;
import comfy.workbench.workflows.api.WorkflowLibrary;

/**
 * The platform the Workflows view and the workflow editor are tested on: the real services under a data folder of
 * the test class, a fake ComfyUI server as the only registered server, a display, and an e4 context backed by the
 * OSGi services, in which the parts are made as the workbench makes them.
 */
final class ViewFixture implements AutoCloseable {

    /** Bundles whose services the parts need; the test runtime resolves them but starts only a few bundles. */
    private static final String[] SERVICE_BUNDLES = { "org.eclipse.equinox.event", "org.apache.felix.configadmin",
            "org.eclipse.e4.core.di", "org.eclipse.e4.core.di.extensions.supplier", "org.eclipse.e4.ui.di",
            "comfy.workbench.connection", "comfy.workbench.monitor", "comfy.workbench.cache", "comfy.workbench.workflows",
            "comfy.workbench.templates",
            "comfy.workbench.queue", "comfy.workbench.ui.workflows" };

    private static final String QUEUE = "comfy.workbench.queue.internal.QueueComponent";

    final Display display;
    final IEclipseContext services;
    final FakeComfyServer fake;
    final String serverId;
    private final ViewHost host;

    private ViewFixture(ViewHost host, FakeComfyServer fake, String serverId) {
        this.host = host;
        this.display = host.display();
        this.services = host.services();
        this.fake = fake;
        this.serverId = serverId;
    }

    static ViewFixture start(Path data, String serverId) throws Exception {
        Bundle self = FrameworkUtil.getBundle(WorkflowsPart.class);
        self.start(Bundle.START_TRANSIENT);
        Osgi.start(SERVICE_BUNDLES);
        TestPlatform.configure(data);
        Osgi.configure("comfy.workbench.queue", QUEUE, Map.of("tickMillis", 50L, "reconcileRetryMillis", 200L,
                "lostServerGraceMillis", 1_000L, "fixture", UUID.randomUUID().toString()));
        Osgi.await("the library under the test's data folder",
                () -> Osgi.service(WorkflowLibrary.class).folder().startsWith(data));
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        registry.remove(ServerDescriptor.DEFAULT_ID);
        FakeComfyServer fake = FakeComfyServer.builder().start();
        registry.add(new ServerDescriptor(serverId, "Fake " + fake.port(), fake.baseUri(), null));

        return new ViewFixture(ViewHost.open(self.getBundleContext(), "workflows view test"), fake, serverId);
    }

    @Override
    public void close() {
        Osgi.service(ServerRegistry.class).remove(serverId);
        fake.close();
        host.close();
    }
}
