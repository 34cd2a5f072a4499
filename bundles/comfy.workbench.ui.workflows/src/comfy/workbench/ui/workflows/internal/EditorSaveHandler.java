package comfy.workbench.ui.workflows.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.ui.di.Persist;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.ISaveHandler;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;

/**
 * Asks before a dirty part is closed, or the window with it: Save, Don't Save or Cancel. The e4 workbench's own
 * handler answers "save" without asking, which would write an edit the user meant to drop. A part that is still dirty
 * after its {@code @Persist} (its save was refused: the editor says why) stays open.
 */
final class EditorSaveHandler implements ISaveHandler {

    private final MWindow window;

    EditorSaveHandler(MWindow window) {
        this.window = window;
    }

    @Override
    public boolean save(MPart part, boolean confirm) {
        if (confirm) {
            switch (promptToSave(part)) {
            case NO:
                part.setDirty(false); // dropped: it must not be offered again when the window closes
                return true;
            case CANCEL:
                return false;
            default:
                break;
            }
        }
        return persist(part);
    }

    @Override
    public boolean saveParts(Collection<MPart> parts, boolean confirm) {
        List<MPart> dirty = parts.stream().filter(MPart::isDirty).toList();
        if (dirty.isEmpty()) {
            return true;
        }
        if (confirm) {
            Save answer = promptToSave(dirty)[0];
            if (answer == Save.CANCEL) {
                return false;
            }
            if (answer == Save.NO) {
                dirty.forEach(p -> p.setDirty(false));
                return true;
            }
        }
        boolean saved = true;
        for (MPart part : dirty) {
            saved &= persist(part);
        }
        return saved;
    }

    @Override
    public Save promptToSave(MPart part) {
        return ask("\"" + part.getLabel() + "\" has changes that are not saved. Save them?");
    }

    @Override
    public Save[] promptToSave(Collection<MPart> parts) {
        List<String> names = new ArrayList<>();
        parts.forEach(p -> names.add("\u2022 " + p.getLabel()));
        Save answer = ask("These have changes that are not saved. Save them?\n\n" + String.join("\n", names));
        Save[] answers = new Save[parts.size()];
        java.util.Arrays.fill(answers, answer);
        return answers;
    }

    private Save ask(String question) {
        Shell shell = window.getWidget() instanceof Shell s ? s : null;
        MessageDialog dialog = new MessageDialog(shell, "Save Changes", null, question, MessageDialog.QUESTION,
                0, "Save", "Don't Save", "Cancel");
        return switch (dialog.open()) {
            case 0 -> Save.YES;
            case 1 -> Save.NO;
            default -> Save.CANCEL;
        };
    }

    private static boolean persist(MPart part) {
        if (part.getObject() == null || part.getContext() == null) {
            // closed: what it held went with it, nothing is left to save
            part.setDirty(false);
            return true;
        }
        ContextInjectionFactory.invoke(part.getObject(), Persist.class, part.getContext(), null);
        return !part.isDirty();
    }
}
