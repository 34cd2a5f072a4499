package comfy.workbench.queue.tests;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.testing.contracts.ExecutionListenerContract;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;

/** The queue's own execution listener (how it follows its jobs on their servers) under the extenders' contract. */
class QueueListenerContractTest extends ExecutionListenerContract {

    @TempDir
    Path data;

    @BeforeEach
    void start() throws Exception {
        TestPlatform.configure(data);
        Osgi.service(ServerRegistry.class).remove(ServerDescriptor.DEFAULT_ID);
    }

    private static java.util.Optional<ServiceReference<ExecutionListener>> registered() {
        try {
            return Osgi.context().getServiceReferences(ExecutionListener.class, null).stream()
                    .filter(r -> r.getBundle().getSymbolicName().equals("comfy.workbench.queue")).findFirst();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e); // no filter given
        }
    }

    /** The queue's listener, once the queue (re-activated with the test's data folder) has registered it again. */
    private static ServiceReference<ExecutionListener> queuesListener() {
        Osgi.await("the queue's execution listener", () -> registered().isPresent());
        return registered().orElseThrow();
    }

    @Override
    protected ExecutionListener listener() {
        return Osgi.context().getService(queuesListener());
    }

    @Override
    protected Map<String, Object> properties() {
        ServiceReference<ExecutionListener> r = queuesListener();
        Map<String, Object> p = new HashMap<>();
        for (String key : new String[] { ExecutionListener.SERVERS, ExecutionListener.PROMPTS, ExecutionListener.TYPES }) {
            if (r.getProperty(key) != null) {
                p.put(key, r.getProperty(key));
            }
        }
        return p;
    }
}
