package comfy.workbench.ui.workflows.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import comfy.workbench.ui.workflows.internal.WorkflowsPart;

/**
 * The bundle's model fragment loads as the workbench loads it, without one error: a fragment that does not load is
 * dropped whole and silently (a part descriptor written in the wrong model package once took the Workflows view with
 * it), so this test loads it with the e4 model's packages and checks every class and icon it names.
 */
class ModelFragmentTest {

    @Test
    void theFragmentLoadsAndEveryClassAndIconItNamesIsInTheBundle() throws Exception {
        // creating one object of each model initialises and registers its packages, as the workbench does
        MBasicFactory.INSTANCE.createPart();
        org.eclipse.e4.ui.model.application.descriptor.basic.MBasicFactory.INSTANCE.createPartDescriptor();
        MFragmentFactory.INSTANCE.createModelFragments();

        Bundle bundle = FrameworkUtil.getBundle(WorkflowsPart.class);
        String header = bundle.getHeaders().get("Model-Fragment");
        assertNotNull(header, "the bundle declares its fragment");
        String path = header.split(";")[0].strip();
        URL entry = bundle.getEntry(path);
        assertNotNull(entry, path);
        Resource resource = new XMIResourceImpl(URI.createURI(path));
        try (InputStream in = entry.openStream()) {
            resource.load(in, Map.of());
        }
        assertEquals(List.of(), resource.getErrors().stream().map(Resource.Diagnostic::getMessage).toList());
        assertEquals(List.of(), resource.getWarnings().stream().map(Resource.Diagnostic::getMessage).toList());
        assertFalse(resource.getContents().isEmpty());

        List<String> checked = new ArrayList<>();
        for (TreeIterator<EObject> it = resource.getAllContents(); it.hasNext();) {
            EObject element = it.next();
            assertTrue(element.eCrossReferences().stream().noneMatch(EObject::eIsProxy),
                    "unresolved reference in " + element);
            String contribution = string(element, "contributionURI");
            if (contribution != null) {
                String prefix = "bundleclass://" + bundle.getSymbolicName() + "/";
                assertTrue(contribution.startsWith(prefix), contribution);
                assertNotNull(bundle.loadClass(contribution.substring(prefix.length())), contribution);
                checked.add(contribution);
            }
            String icon = string(element, "iconURI");
            if (icon != null) {
                String prefix = "platform:/plugin/" + bundle.getSymbolicName() + "/";
                assertTrue(icon.startsWith(prefix), icon);
                assertNotNull(bundle.getEntry(icon.substring(prefix.length())), icon);
            }
        }
        assertTrue(checked.stream().anyMatch(c -> c.endsWith(".WorkflowsPart")), checked.toString());
        assertTrue(checked.stream().anyMatch(c -> c.endsWith(".WorkflowEditor")), checked.toString());
    }

    private static String string(EObject element, String feature) {
        EStructuralFeature f = element.eClass().getEStructuralFeature(feature);
        Object value = f == null ? null : element.eGet(f);
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
