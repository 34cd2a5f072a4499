package comfy.workbench.testing.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.fragment.MFragmentFactory;
import org.eclipse.emf.common.util.TreeIterator;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.xmi.impl.XMIResourceImpl;
import org.osgi.framework.Bundle;

/**
 * Checks a bundle's e4 model fragment as the workbench would load it. The workbench drops a fragment that does not
 * load whole and without a word (a part descriptor written in the wrong model package once took a view with it), so
 * each UI bundle's tests load theirs with the e4 model's packages, without errors or warnings, every reference
 * resolved, every contribution class loadable from the bundle and every icon in it.
 */
public final class ModelFragments {

    private ModelFragments() {
    }

    /**
     * Loads the fragment the bundle's {@code Model-Fragment} header names and checks it.
     *
     * @return the contribution URIs it names ({@code bundleclass://…}), for the caller's own expectations
     */
    public static List<String> check(Bundle bundle) throws IOException, ClassNotFoundException {
        // creating one object of each model initialises and registers its packages, as the workbench does
        MBasicFactory.INSTANCE.createPart();
        org.eclipse.e4.ui.model.application.descriptor.basic.MBasicFactory.INSTANCE.createPartDescriptor();
        MFragmentFactory.INSTANCE.createModelFragments();

        String header = bundle.getHeaders().get("Model-Fragment");
        assertNotNull(header, bundle.getSymbolicName() + " declares no Model-Fragment");
        String path = header.split(";")[0].strip();
        URL entry = bundle.getEntry(path);
        assertNotNull(entry, bundle.getSymbolicName() + " has no " + path);
        Resource resource = new XMIResourceImpl(URI.createURI(path));
        try (InputStream in = entry.openStream()) {
            resource.load(in, Map.of());
        }
        assertEquals(List.of(), resource.getErrors().stream().map(Resource.Diagnostic::getMessage).toList(), path);
        assertEquals(List.of(), resource.getWarnings().stream().map(Resource.Diagnostic::getMessage).toList(), path);
        assertFalse(resource.getContents().isEmpty(), path);

        List<String> contributions = new ArrayList<>();
        for (TreeIterator<EObject> it = resource.getAllContents(); it.hasNext();) {
            EObject element = it.next();
            assertTrue(element.eCrossReferences().stream().noneMatch(EObject::eIsProxy),
                    "unresolved reference in " + element);
            String contribution = string(element, "contributionURI");
            if (contribution != null) {
                String prefix = "bundleclass://" + bundle.getSymbolicName() + "/";
                assertTrue(contribution.startsWith(prefix), contribution);
                assertNotNull(bundle.loadClass(contribution.substring(prefix.length())), contribution);
                contributions.add(contribution);
            }
            String icon = string(element, "iconURI");
            if (icon != null) {
                String prefix = "platform:/plugin/" + bundle.getSymbolicName() + "/";
                assertTrue(icon.startsWith(prefix), icon);
                assertNotNull(bundle.getEntry(icon.substring(prefix.length())), icon);
            }
        }
        return contributions;
    }

    private static String string(EObject element, String feature) {
        EStructuralFeature f = element.eClass().getEStructuralFeature(feature);
        Object value = f == null ? null : element.eGet(f);
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
