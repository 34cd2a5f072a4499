package comfy.workbench.workflows.internal;

import java.nio.file.Path;
import java.time.Clock;

import comfy.workbench.workflows.api.WorkflowCodec;

/** A library that stops dead at one step of a change, as a process killed there would. */
public final class Crashing {

    private Crashing() {
    }

    public static FileWorkflowLibrary library(Path folder, WorkflowCodec codec, Clock clock, String step) {
        return new FileWorkflowLibrary(folder, codec, clock, at -> {
            if (at.equals(step)) {
                throw new IllegalStateException("crash at " + step);
            }
        });
    }
}
