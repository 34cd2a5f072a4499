package comfy.workbench.config.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.osgi.framework.Bundle;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The types of the configuration properties the installed bundles' components declare (the {@code property} elements
 * of their Service-Component XML, where the build writes each configuration attribute with its default), by
 * configuration PID: so that a configuration file's value the component could not convert is refused with the file,
 * instead of failing the component's activation (and with it every command).
 */
final class DeclaredProperties {

    /** A property as a component declares it. */
    record Declared(String component, String type) {
    }

    private final Map<String, Map<String, Declared>> byPid = new HashMap<>();

    private DeclaredProperties() {
    }

    /** Reads the component descriptions of {@code bundles}; one that cannot be read is left out. */
    static DeclaredProperties of(Bundle[] bundles) {
        DeclaredProperties declared = new DeclaredProperties();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setExpandEntityReferences(false);
        for (Bundle bundle : bundles) {
            String header = bundle.getHeaders("").get("Service-Component");
            if (header == null) {
                continue;
            }
            for (URL entry : entries(bundle, header)) {
                try (InputStream in = entry.openStream()) {
                    declared.add(factory.newDocumentBuilder().parse(in).getDocumentElement());
                } catch (IOException | SAXException | ParserConfigurationException | RuntimeException e) {
                    // a description SCR cannot read either: nothing to check against
                }
            }
        }
        return declared;
    }

    private static List<URL> entries(Bundle bundle, String header) {
        List<URL> urls = new ArrayList<>();
        for (String path : header.split(",")) {
            path = path.strip();
            int slash = path.lastIndexOf('/');
            String folder = slash < 0 ? "/" : path.substring(0, slash);
            String name = path.substring(slash + 1);
            if (name.contains("*")) {
                Enumeration<URL> found = bundle.findEntries(folder, name, false);
                while (found != null && found.hasMoreElements()) {
                    urls.add(found.nextElement());
                }
            } else {
                URL url = bundle.getEntry(path);
                if (url != null) {
                    urls.add(url);
                }
            }
        }
        return urls;
    }

    private void add(Element root) {
        NodeList components = root.getLocalName().equals("component") ? null
                : root.getElementsByTagNameNS("*", "component");
        if (components == null) {
            addComponent(root);
        } else {
            for (int i = 0; i < components.getLength(); i++) {
                addComponent((Element) components.item(i));
            }
        }
    }

    private void addComponent(Element component) {
        String name = component.getAttribute("name");
        String pids = component.getAttribute("configuration-pid");
        NodeList properties = component.getElementsByTagNameNS("*", "property");
        for (String pid : (pids.isBlank() ? name : pids).strip().split("\\s+")) {
            String configurationPid = pid.equals("$") ? name : pid;
            Map<String, Declared> types = byPid.computeIfAbsent(configurationPid, k -> new HashMap<>());
            for (int i = 0; i < properties.getLength(); i++) {
                Element property = (Element) properties.item(i);
                String type = property.getAttribute("type");
                types.putIfAbsent(property.getAttribute("name"), new Declared(name, type.isBlank() ? "String" : type));
            }
        }
    }

    /** The declared properties of the components configured by {@code pid}; empty when none is known. */
    Map<String, Declared> of(String pid) {
        return byPid.getOrDefault(pid, Map.of());
    }

    /**
     * Why {@code value} (as a configuration file gives it: a Long, Double, Boolean, String or an array of one) cannot
     * be the property {@code key} as declared; empty when it can.
     */
    static Optional<String> mismatch(String key, Object value, Declared declared) {
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                Optional<String> why = mismatch(key, Array.get(value, i), declared);
                if (why.isPresent()) {
                    return why;
                }
            }
            return Optional.empty();
        }
        String wanted = switch (declared.type()) {
            case "Integer" -> fits(value, Integer.MIN_VALUE, Integer.MAX_VALUE) ? null : "a whole number";
            case "Long" -> fits(value, Long.MIN_VALUE, Long.MAX_VALUE) ? null : "a whole number";
            case "Short" -> fits(value, Short.MIN_VALUE, Short.MAX_VALUE) ? null : "a whole number";
            case "Byte" -> fits(value, Byte.MIN_VALUE, Byte.MAX_VALUE) ? null : "a whole number";
            case "Double", "Float" -> isNumber(value) ? null : "a number";
            case "Boolean" -> value instanceof Boolean || value instanceof String s
                    && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) ? null : "true or false";
            default -> null; // String, Character: anything reads as one
        };
        if (wanted == null) {
            return Optional.empty();
        }
        String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return Optional.of("property \"" + key + "\" must be " + wanted + " (" + declared.type() + " in "
                + declared.component() + "), not " + shown);
    }

    private static boolean fits(Object value, long min, long max) {
        Long n = null;
        if (value instanceof Long l) {
            n = l;
        } else if (value instanceof String s) {
            try {
                n = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return n != null && n >= min && n <= max;
    }

    private static boolean isNumber(Object value) {
        if (value instanceof Long || value instanceof Double) {
            return true;
        }
        if (value instanceof String s) {
            try {
                Double.parseDouble(s.strip());
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }
}
