package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every default of an {@code onnx.*} property has one source: the initialiser
 * of its field in the {@code @ConfigurationProperties} JavaBeans. The configuration
 * processor copies it into {@code META-INF/spring-configuration-metadata.json}, the
 * documentation repeats it in {@code docs/configuration.md}; these tests fail when the
 * metadata, the hand-kept additional metadata or the documentation say otherwise than a
 * freshly bound {@link OnnxProperties} (and every other {@code onnx.*} properties class).
 */
class ConfigurationMetadataDefaultsTests {

	private static final String CONFIGURATION_PAGE = "docs/configuration.md";

	// | `onnx.cuda.enabled` | `true` | Whether ... |
	private static final Pattern ROW = Pattern.compile("^\\|\\s*`(onnx\\.[^`]+)`\\s*\\|([^|]*)\\|.*\\|\\s*$");

	// per-element rows of the documentation, and the bean each element binds to
	private static final Map<String, Class<?>> ELEMENTS = Map.of("onnx.models.<name>.", OnnxModelProperties.class,
			"onnx.warmup.requests[i].", WarmupRequest.class);

	@Test
	void everyDefaultInTheMetadataIsTheValueOfAFreshlyBoundProperty() throws IOException {
		Map<String, Object> roots = freshlyBoundRoots();
		assertThat(roots).containsKeys(OnnxProperties.PREFIX, "onnx.native.cache");
		List<String> problems = new ArrayList<>();
		int checked = 0;
		for (Map<String, Object> property : properties(metadata())) {
			String name = (String) property.get("name");
			Object bound = boundValue(roots, name);
			Object documented = property.get("defaultValue");
			if (documented == null) {
				if (isSimpleValue(bound)) {
					problems.add(name + " is " + bound + " when unset, but the metadata gives no default: write the "
							+ "default as a literal initialiser of its field (such as Duration.ofSeconds(10)), "
							+ "not a constant of another class, which the configuration processor cannot read");
				}
				continue;
			}
			checked++;
			if (!sameValue(documented, bound)) {
				problems.add("the metadata gives " + name + " the default '" + documented + "' but a freshly bound "
						+ "property is '" + bound + "'; the field's initialiser is the default: remove the copy "
						+ "from additional-spring-configuration-metadata.json");
			}
		}
		assertThat(problems).withFailMessage("%s", String.join("\n", problems)).isEmpty();
		assertThat(checked).as("onnx.* properties with a default in the metadata").isGreaterThan(20);
	}

	@Test
	void additionalMetadataDoesNotRepeatWhatTheProcessorGenerates() throws IOException {
		String merged = metadata();
		List<String> duplicates = new ArrayList<>();
		for (Map<String, Object> property : properties(additionalMetadata())) {
			String name = (String) property.get("name");
			List<Object> sourceTypes = JsonPath.read(merged, "$.properties[?(@.name == '" + name + "')].sourceType");
			// a property of a class is generated from its field: its default and
			// description belong there, and a deprecation to its getter
			if (!sourceTypes.isEmpty() && sourceTypes.get(0) != null) {
				duplicates.add(name + " (generated from " + sourceTypes.get(0) + ")");
			}
		}
		assertThat(duplicates)
			.as("properties of additional-spring-configuration-metadata.json that the configuration processor "
					+ "generates; keep only hints and what no field describes there")
			.isEmpty();
	}

	@Test
	void docsGiveEveryDefaultAsAFreshlyBoundPropertyHasIt() throws IOException {
		Map<String, Object> roots = freshlyBoundRoots();
		List<String> metadataNames = properties(metadata()).stream()
			.map((property) -> (String) property.get("name"))
			.toList();
		List<String> problems = new ArrayList<>();
		int checked = 0;
		for (Map.Entry<String, String> row : documentedDefaults().entrySet()) {
			String name = row.getKey();
			String documented = row.getValue();
			String prefix = ELEMENTS.keySet().stream().filter(name::startsWith).findFirst().orElse(null);
			if (prefix == null) {
				if (metadataNames.contains(name)) {
					checked++;
					Object bound = boundValue(roots, name);
					if (isSimpleValue(bound) && !sameValue(documented, bound)) {
						problems.add(CONFIGURATION_PAGE + " gives " + name + " the default '" + documented
								+ "' but a freshly bound property is '" + bound + "'; change its row");
					}
				}
				continue;
			}
			String key = name.substring(prefix.length());
			if (!key.matches("[a-z0-9.-]+")) {
				// wildcards, map keys and list elements describe themselves
				continue;
			}
			Object element = BeanUtils.instantiateClass(ELEMENTS.get(prefix));
			Object bound = PropertyAccessorFactory.forBeanPropertyAccess(element).getPropertyValue(camelCase(key));
			checked++;
			if (documented.equals("inherited")) {
				String shared = OnnxProperties.PREFIX + "." + key;
				if (bound != null || !metadataNames.contains(shared) || boundValue(roots, shared) == null) {
					problems.add(CONFIGURATION_PAGE + " says " + name + " is inherited, but a fresh model has '" + bound
							+ "' and " + shared + " is "
							+ (metadataNames.contains(shared) ? "'" + boundValue(roots, shared) + "'" : "no property"));
				}
			}
			else if (documented.startsWith("ORT's") || documented.isEmpty()) {
				if (bound != null && !(bound instanceof Collection<?> || bound instanceof Map<?, ?>)) {
					problems.add(CONFIGURATION_PAGE + " gives " + name + " no default of the starter's, but it is '"
							+ bound + "'; give it as `" + bound + "`");
				}
			}
			else if (isSimpleValue(bound) && !sameValue(documented, bound)) {
				problems.add(CONFIGURATION_PAGE + " gives " + name + " the default '" + documented + "' but it is '"
						+ bound + "'; change its row");
			}
		}
		assertThat(problems).withFailMessage("%s", String.join("\n", problems)).isEmpty();
		assertThat(checked).as("rows checked").isGreaterThan(60);
	}

	/**
	 * Every {@code @ConfigurationProperties} class under {@code onnx} that the metadata
	 * lists, bound from an empty environment, by its prefix.
	 */
	private static Map<String, Object> freshlyBoundRoots() throws IOException {
		List<Map<String, Object>> groups = JsonPath.read(metadata(), "$.groups[?(@.name =~ /onnx(\\..*)?/)]");
		Binder binder = new Binder(new MapConfigurationPropertySource());
		Map<String, Object> roots = new LinkedHashMap<>();
		for (Map<String, Object> group : groups) {
			Class<?> type = ClassUtils.resolveClassName((String) group.get("type"), null);
			ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
			if (group.get("sourceMethod") == null && annotation != null) {
				roots.put((String) group.get("name"), binder.bindOrCreate(annotation.value(), Bindable.of(type)));
			}
		}
		return roots;
	}

	private static @Nullable Object boundValue(Map<String, Object> roots, String name) {
		String root = roots.keySet()
			.stream()
			.filter((prefix) -> name.startsWith(prefix + "."))
			.reduce((first, second) -> (second.length() > first.length()) ? second : first)
			.orElseThrow(() -> new IllegalStateException("No @ConfigurationProperties class binds " + name));
		BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(roots.get(root));
		return wrapper.getPropertyValue(camelCase(name.substring(root.length() + 1)));
	}

	private static boolean sameValue(Object documented, @Nullable Object bound) {
		if (bound == null) {
			return false;
		}
		Object converted = ApplicationConversionService.getSharedInstance()
			.convert(documented, ClassUtils.resolvePrimitiveIfNecessary(bound.getClass()));
		return bound.equals(converted);
	}

	private static boolean isSimpleValue(@Nullable Object value) {
		return value != null && !(value instanceof Collection<?>) && !(value instanceof Map<?, ?>)
				&& (value.getClass().getPackageName().startsWith("java.") || value instanceof Enum<?>
						|| value.getClass().getPackageName().startsWith("org.springframework.util.unit"));
	}

	// engine-cache.enabled -> engineCache.enabled
	private static String camelCase(String dashed) {
		StringBuilder camel = new StringBuilder();
		boolean upper = false;
		for (char c : dashed.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				camel.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return camel.toString();
	}

	/**
	 * The rows of the property tables of the configuration page: each property with its
	 * default as written, without backticks, blank when none is given.
	 */
	private static Map<String, String> documentedDefaults() throws IOException {
		Map<String, String> defaults = new LinkedHashMap<>();
		boolean propertyTable = false;
		String previous = "";
		for (String line : Files.readAllLines(DocumentationPages.root().resolve(Path.of(CONFIGURATION_PAGE)))) {
			if (line.startsWith("|") && !previous.startsWith("|")) {
				propertyTable = line.toLowerCase(Locale.ROOT).startsWith("| property |");
			}
			Matcher row = ROW.matcher(line);
			if (propertyTable && row.matches()) {
				defaults.put(row.group(1), row.group(2).strip().replace("`", ""));
			}
			previous = line;
		}
		return defaults;
	}

	private static List<Map<String, Object>> properties(String metadata) {
		return JsonPath.read(metadata, "$.properties[?(@.name =~ /onnx\\..*/)]");
	}

	private static String metadata() throws IOException {
		return read("META-INF/spring-configuration-metadata.json");
	}

	private static String additionalMetadata() throws IOException {
		String additional = read("META-INF/additional-spring-configuration-metadata.json");
		// the file may have hints only
		return additional.contains("\"properties\"") ? additional : "{\"properties\": []}";
	}

	private static String read(String location) throws IOException {
		try (InputStream input = new ClassPathResource(location).getInputStream()) {
			return new String(input.readAllBytes());
		}
	}

}
