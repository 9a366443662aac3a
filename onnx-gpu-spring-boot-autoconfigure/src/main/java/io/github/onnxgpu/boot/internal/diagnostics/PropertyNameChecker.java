package io.github.onnxgpu.boot.internal.diagnostics;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.ResolvableType;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * Finds configuration keys below a prefix that no {@code @ConfigurationProperties} class
 * binds, such as {@code onnx.models.vad.warmup.shape} for {@code shapes}, and names the
 * closest known key. Several classes may share the prefix ({@code onnx} and
 * {@code onnx.native.cache}); the keys of maps with scalar values (raw option maps,
 * headers) and the keys of maps with object values (model names) are free, the keys below
 * those objects are not.
 */
public final class PropertyNameChecker {

	private final ConfigurationPropertyName root;

	private final BeanNode tree = new BeanNode();

	/**
	 * Create a checker for the keys below a root.
	 * @param root the root, such as {@code onnx}
	 */
	public PropertyNameChecker(String root) {
		this.root = ConfigurationPropertyName.of(root);
	}

	/**
	 * Add the keys of a properties class.
	 * @param prefix the class's prefix, the root or below it
	 * @param type the class
	 * @return this checker
	 */
	public PropertyNameChecker add(String prefix, Class<?> type) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(prefix);
		if (!this.root.equals(name) && !this.root.isAncestorOf(name)) {
			throw new IllegalArgumentException(prefix + " is not below " + this.root);
		}
		BeanNode target = this.tree;
		for (int i = this.root.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
			target = target.child(name.getElement(i, Form.DASHED));
		}
		target.merge(beanNode(type, new ArrayList<>()));
		return this;
	}

	/**
	 * Check keys, ignoring those outside the root.
	 * @param names the configured keys
	 * @throws OnnxModelException naming the first unknown key and the closest known one
	 */
	public void check(Collection<ConfigurationPropertyName> names) {
		List<Unknown> unknown = new ArrayList<>();
		for (ConfigurationPropertyName name : new TreeSet<>(names)) {
			if (this.root.isAncestorOf(name)) {
				Unknown found = check(name);
				if (found != null) {
					unknown.add(found);
				}
			}
		}
		if (unknown.isEmpty()) {
			return;
		}
		Unknown first = unknown.get(0);
		if (unknown.size() == 1) {
			throw new OnnxModelException(first.modelName(), first.key(), first.problem(), first.action());
		}
		List<String> all = unknown.stream().map(Unknown::problem).toList();
		throw new OnnxModelException(first.modelName(), first.key(),
				unknown.size() + " unknown configuration keys: " + String.join("; ", all), first.action());
	}

	private @Nullable Unknown check(ConfigurationPropertyName name) {
		Node node = this.tree;
		String modelName = null;
		for (int i = this.root.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
			if (node instanceof FreeNode) {
				return null;
			}
			if (node instanceof KeyedNode keyed) {
				// the only map of objects below the root whose keys are worth naming
				if (i == this.root.getNumberOfElements() + 1 && "models".equals(name.getElement(i - 1, Form.UNIFORM))) {
					modelName = name.getElement(i, Form.ORIGINAL);
				}
				node = keyed.value;
				continue;
			}
			if (node instanceof IndexedNode indexed) {
				if (!name.isNumericIndex(i)) {
					return unknown(modelName, name, i, "a list: give entries as " + name.chop(i) + "[0]", null);
				}
				node = indexed.element;
				continue;
			}
			if (node instanceof BeanNode bean) {
				Node child = bean.find(name.getElement(i, Form.UNIFORM));
				if (child == null) {
					return unknown(modelName, name, i, null, bean);
				}
				node = child;
				continue;
			}
			return unknown(modelName, name, i, "a value, with no keys below it", null);
		}
		return null;
	}

	private Unknown unknown(@Nullable String modelName, ConfigurationPropertyName name, int index,
			@Nullable String parentIs, @Nullable BeanNode siblings) {
		ConfigurationPropertyName parent = name.chop(index);
		String key = name.toString();
		if (siblings == null) {
			return new Unknown(modelName, key,
					key + " is not a known configuration key (" + parent + " is " + parentIs + ")",
					"remove " + key + " or set " + parent + " itself");
		}
		String written = name.getElement(index, Form.DASHED);
		ConfigurationPropertyName closest = parent.append(closest(written, siblings.names()));
		return new Unknown(modelName, key, key + " is not a known configuration key; did you mean " + closest + "?",
				"rename it to " + closest + " (known below " + parent + ": " + String.join(", ", siblings.names())
						+ ")");
	}

	private record Unknown(@Nullable String modelName, String key, String problem, String action) {
	}

	private static String closest(String written, Collection<String> candidates) {
		String uniform = uniform(written);
		return candidates.stream()
			.min(Comparator.comparingInt((String candidate) -> EditDistance.between(uniform, uniform(candidate)))
				.thenComparing(Comparator.naturalOrder()))
			.orElseThrow();
	}

	private static String uniform(String element) {
		return element.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

	private static BeanNode beanNode(Class<?> type, List<Class<?>> path) {
		BeanNode node = new BeanNode();
		if (path.contains(type)) {
			return node;
		}
		path.add(type);
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() == null || "class".equals(property.getName())) {
				continue;
			}
			node.put(dashed(property.getName()),
					node(ResolvableType.forMethodReturnType(property.getReadMethod()), path));
		}
		path.remove(path.size() - 1);
		return node;
	}

	private static Node node(ResolvableType type, List<Class<?>> path) {
		Class<?> resolved = type.toClass();
		if (type.isArray()) {
			return new IndexedNode(node(type.getComponentType(), path));
		}
		if (Map.class.isAssignableFrom(resolved)) {
			ResolvableType value = type.asMap().getGeneric(1);
			return isValue(value.toClass()) ? new FreeNode() : new KeyedNode(node(value, path));
		}
		if (Collection.class.isAssignableFrom(resolved)) {
			return new IndexedNode(node(type.asCollection().getGeneric(0), path));
		}
		return isValue(resolved) ? new ValueNode() : beanNode(resolved, path);
	}

	// what Spring converts from text rather than binds key by key
	private static boolean isValue(Class<?> type) {
		if (type == Object.class) {
			return false;
		}
		return BeanUtils.isSimpleValueType(type) || type.isEnum() || type.getName().startsWith("java.")
				|| type.getName().startsWith("javax.") || type.getName().startsWith("org.springframework.");
	}

	private static String dashed(String name) {
		StringBuilder dashed = new StringBuilder();
		for (char c : name.toCharArray()) {
			if (Character.isUpperCase(c)) {
				dashed.append('-').append(Character.toLowerCase(c));
			}
			else {
				dashed.append(c);
			}
		}
		return dashed.toString();
	}

	private interface Node {

	}

	/**
	 * A single value.
	 */
	private static final class ValueNode implements Node {

	}

	/**
	 * A map of values: every key below is free.
	 */
	private static final class FreeNode implements Node {

	}

	/**
	 * A map of objects: the key is free, the object's keys are not.
	 */
	private record KeyedNode(Node value) implements Node {

	}

	/**
	 * A list.
	 */
	private record IndexedNode(Node element) implements Node {

	}

	/**
	 * An object with known keys, by dashed name.
	 */
	private static final class BeanNode implements Node {

		private final Map<String, Node> children = new LinkedHashMap<>();

		void put(String name, Node node) {
			this.children.put(name, node);
		}

		BeanNode child(String name) {
			Node child = this.children.computeIfAbsent(name, (key) -> new BeanNode());
			if (!(child instanceof BeanNode bean)) {
				throw new IllegalArgumentException(name + " is already a value");
			}
			return bean;
		}

		void merge(BeanNode other) {
			other.children.forEach((name, node) -> {
				if (node instanceof BeanNode bean && this.children.get(name) instanceof BeanNode) {
					child(name).merge(bean);
				}
				else {
					this.children.put(name, node);
				}
			});
		}

		@Nullable Node find(String uniform) {
			for (Map.Entry<String, Node> entry : this.children.entrySet()) {
				if (uniform(entry.getKey()).equals(uniform)) {
					return entry.getValue();
				}
			}
			return null;
		}

		Set<String> names() {
			return new TreeSet<>(this.children.keySet());
		}

	}

}
