package io.github.onnxgpu.boot.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;

/**
 * Applies a tuning candidate's settings over a model's own, and writes them out as the
 * user wrote them. The options classes leave unset values {@code null} (see
 * {@link Inheritance}), so a candidate's set values are exactly its overrides; raw option
 * maps merge key by key, and nested settings (such as the TensorRT profile) recurse.
 */
final class CandidateOverrides {

	private CandidateOverrides() {
	}

	/**
	 * Copy every value that is set in a source onto a target of the same type.
	 * @param source the settings to apply
	 * @param target the settings to change
	 */
	static void apply(Object source, Object target) {
		BeanWrapper from = PropertyAccessorFactory.forBeanPropertyAccess(source);
		BeanWrapper to = PropertyAccessorFactory.forBeanPropertyAccess(target);
		for (PropertyDescriptor property : from.getPropertyDescriptors()) {
			String name = property.getName();
			if (property.getReadMethod() == null || name.equals("class")) {
				continue;
			}
			Object value = from.getPropertyValue(name);
			if (value == null) {
				continue;
			}
			if (value instanceof Map<?, ?> map) {
				@SuppressWarnings("unchecked")
				Map<Object, Object> targetMap = (Map<Object, Object>) to.getPropertyValue(name);
				targetMap.putAll(map);
			}
			else if (property.getWriteMethod() != null) {
				to.setPropertyValue(name, value);
			}
			else if (!BeanUtils.isSimpleValueType(value.getClass())) {
				apply(value, to.getPropertyValue(name));
			}
		}
	}

	/**
	 * The values set in some settings, by their property names below a prefix, such as
	 * {@code session.intra-op-threads=2}.
	 * @param prefix the prefix, such as {@code session}
	 * @param settings the settings
	 * @return the values that are set, in a stable order
	 */
	static Map<String, String> describe(String prefix, Object settings) {
		Map<String, String> described = new LinkedHashMap<>();
		BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(settings);
		for (PropertyDescriptor property : wrapper.getPropertyDescriptors()) {
			String name = property.getName();
			if (property.getReadMethod() == null || name.equals("class")) {
				continue;
			}
			Object value = wrapper.getPropertyValue(name);
			String key = prefix + "." + dashed(name);
			if (value instanceof Map<?, ?> map) {
				map.forEach((mapKey, mapValue) -> described.put(key + "." + mapKey, String.valueOf(mapValue)));
			}
			else if (value != null && property.getWriteMethod() == null
					&& !BeanUtils.isSimpleValueType(value.getClass())) {
				described.putAll(describe(key, value));
			}
			else if (value != null) {
				described.put(key, (value instanceof Enum<?> constant) ? constant.name() : value.toString());
			}
		}
		return described;
	}

	private static String dashed(String camelCase) {
		StringBuilder dashed = new StringBuilder();
		for (char c : camelCase.toCharArray()) {
			if (Character.isUpperCase(c)) {
				dashed.append('-').append(Character.toLowerCase(c));
			}
			else {
				dashed.append(c);
			}
		}
		return dashed.toString();
	}

}
