package io.github.onnxgpu.boot.internal.provider;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.model.DeviceType;

/**
 * An execution provider a model asks for by name, added through ONNX Runtime's
 * {@code addExecutionProvider(devices, options)} with the devices that ONNX Runtime's
 * device discovery pairs with it.
 *
 * @param name the provider's name as ONNX Runtime reports it, such as
 * {@code CPUExecutionProvider}
 * @param options the provider options, sent as they are
 * @param deviceType the kind of device to run on, {@code null} for any
 * @param vendor the device vendor to run on (compared ignoring case), {@code null} for
 * any
 * @param vendorId the PCI vendor id of the device to run on, {@code null} for any
 * @param deviceId the id of the device to run on, {@code null} for any
 * @param compile whether to compile the model for the provider into an EP-context model
 * once and reuse it
 * @param compiledModelDirectory the root of the compiled-model cache, {@code null} for
 * the {@linkplain CompiledModelCache#defaultRoot() default}
 */
public record ExecutionProviderSettings(String name, Map<String, String> options, @Nullable DeviceType deviceType,
		@Nullable String vendor, @Nullable Integer vendorId, @Nullable Integer deviceId, boolean compile,
		@Nullable Path compiledModelDirectory) {

	public ExecutionProviderSettings {
		options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
	}

	/**
	 * The filters set, each as its property suffix below
	 * {@code onnx.models.<name>.execution-provider.} and the test a device must pass.
	 * @return the filters, in a fixed order
	 */
	Map<String, Predicate<ExecutionDevice>> filters() {
		Map<String, Predicate<ExecutionDevice>> filters = new LinkedHashMap<>();
		if (this.deviceType != null) {
			filters.put("device-type=" + this.deviceType, (device) -> device.type().equals(this.deviceType.name()));
		}
		if (this.vendor != null) {
			filters.put("vendor=" + this.vendor, (device) -> device.vendor().equalsIgnoreCase(this.vendor));
		}
		if (this.vendorId != null) {
			filters.put("vendor-id=" + this.vendorId, (device) -> device.vendorId() == this.vendorId);
		}
		if (this.deviceId != null) {
			filters.put("device-id=" + this.deviceId, (device) -> device.deviceId() == this.deviceId);
		}
		return filters;
	}

	/**
	 * The devices of this provider that pass every filter.
	 * @param devices the devices ONNX Runtime lists
	 * @return the matching ones, in ONNX Runtime's order
	 */
	List<ExecutionDevice> matching(List<ExecutionDevice> devices) {
		Predicate<ExecutionDevice> all = (device) -> device.provider().equals(this.name);
		for (Predicate<ExecutionDevice> filter : filters().values()) {
			all = all.and(filter);
		}
		return devices.stream().filter(all).toList();
	}

}
