package io.github.onnxgpu.boot.actuate;

import java.util.List;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.provider.CompiledModelCache;
import io.github.onnxgpu.boot.internal.provider.CompiledModelState;
import io.github.onnxgpu.boot.internal.provider.ExecutionDevice;
import io.github.onnxgpu.boot.internal.provider.ProviderChoice;

/**
 * The execution provider a model runs on and its devices, as ONNX Runtime's device
 * discovery reports them: those the provider was given when the model asked for it by
 * name ({@code onnx.models.<name>.execution-provider.name}), else those ONNX Runtime
 * pairs with the provider in use (the CPU provider's; CUDA and TensorRT added through
 * their typed options are not in ONNX Runtime's device list, their CUDA device is shown
 * per instance).
 *
 * @param provider the execution provider in use, as ONNX Runtime names it, such as
 * {@code CPUExecutionProvider}
 * @param devices the devices it runs on, empty when ONNX Runtime lists none for it
 * @param requested the execution provider asked for by name, {@code null} when none was
 * @param requestedDevices the devices found for the requested provider, empty when none
 * was found or none was requested
 * @param compiledModel the compiled (EP-context) model the session was created from,
 * {@code null} when the model is not compiled
 */
record RunsOnDescriptor(String provider, List<Device> devices, @Nullable String requested,
		List<Device> requestedDevices, @Nullable CompiledModel compiledModel) {

	static RunsOnDescriptor of(ProviderChoice choice) {
		ProviderChoice.NamedProvider named = choice.executionProvider();
		List<Device> requestedDevices = (named != null) ? named.devices().stream().map(Device::of).toList() : List.of();
		if (named != null && named.active()) {
			return new RunsOnDescriptor(named.name(), requestedDevices, named.name(), requestedDevices,
					CompiledModel.of(named.compiled()));
		}
		String provider = choice.active().getName();
		return new RunsOnDescriptor(provider, discovered(choice.active()), (named != null) ? named.name() : null,
				requestedDevices, null);
	}

	private static List<Device> discovered(OrtProvider provider) {
		try {
			return OrtEnvironment.getEnvironment()
				.getEpDevices()
				.stream()
				.map(ExecutionDevice::of)
				.filter((device) -> device.provider().equals(provider.getName()))
				.map(Device::of)
				.toList();
		}
		catch (OrtException | RuntimeException ex) {
			return List.of();
		}
	}

	/**
	 * A hardware device.
	 *
	 * @param type the device type: CPU, GPU or NPU
	 * @param vendor the device's vendor
	 * @param vendorId the device's PCI vendor id
	 * @param deviceId the device's id
	 */
	record Device(String type, String vendor, int vendorId, int deviceId) {

		static Device of(ExecutionDevice device) {
			return new Device(device.type(), device.vendor(), device.vendorId(), device.deviceId());
		}

	}

	/**
	 * The compiled model of the compiled-model cache a session was created from.
	 *
	 * @param directory its folder in the cache
	 * @param state {@code HIT}, {@code BUILT} or {@code RECOMPILED}
	 * @param compatibility ONNX Runtime's answer for a compiled model found in the cache,
	 * such as {@code EP_SUPPORTED_OPTIMAL}; {@code null} when none was found or it kept
	 * no compatibility information
	 */
	record CompiledModel(String directory, CompiledModelState state, @Nullable String compatibility) {

		static @Nullable CompiledModel of(CompiledModelCache.@Nullable Prepared prepared) {
			return (prepared != null) ? new CompiledModel(prepared.directory().toString(), prepared.state(),
					(prepared.compatibility() != null) ? prepared.compatibility().name() : null) : null;
		}

	}

}
