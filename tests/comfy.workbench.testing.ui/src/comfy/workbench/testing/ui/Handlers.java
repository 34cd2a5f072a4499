package comfy.workbench.testing.ui;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;

/**
 * Calls a toolbar handler as the workbench does: by injection, in a child of the part's context that holds the part's
 * model element, which is what the views' handlers take.
 */
public final class Handlers {

    private Handlers() {
    }

    /** The handler's {@code @CanExecute} for the part. */
    public static boolean canExecute(Object handler, IEclipseContext partContext, MPart part) {
        IEclipseContext handlerContext = child(partContext, part);
        try {
            return (Boolean) ContextInjectionFactory.invoke(handler, CanExecute.class, handlerContext);
        } finally {
            handlerContext.dispose();
        }
    }

    /** The handler's {@code @Execute} for the part. */
    public static void execute(Object handler, IEclipseContext partContext, MPart part) {
        IEclipseContext handlerContext = child(partContext, part);
        try {
            ContextInjectionFactory.invoke(handler, Execute.class, handlerContext);
        } finally {
            handlerContext.dispose();
        }
    }

    private static IEclipseContext child(IEclipseContext partContext, MPart part) {
        IEclipseContext handlerContext = partContext.createChild("handler");
        handlerContext.set(MPart.class, part);
        return handlerContext;
    }
}
