package io.github.onnxgpu.boot.autoconfigure;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.model.DeviceType;

/**
 * An execution provider a model asks for by name, built in or registered with
 * 'onnx.execution-provider-libraries', added with the devices ONNX Runtime pairs it with
 * (see the devices of /actuator/onnx). It replaces the typed CUDA and TensorRT providers
 * for the model; when it finds no device or cannot be added, 'onnx.cuda.fallback' decides
 * (stop start-up, or run on the CPU).
 *
 * @since 0.1.0
 */
public class ModelExecutionProvider {

	/**
	 * Name of the execution provider as ONNX Runtime reports it, such as
	 * 'CPUExecutionProvider' or the name a registered provider library gives its
	 * provider. Unset: the typed providers of 'onnx.cuda' and 'onnx.tensorrt'.
	 */
	private @Nullable String name;

	/**
	 * Options of the provider, by the provider's own key names, sent as they are.
	 */
	private Map<String, String> options = new LinkedHashMap<>();

	/**
	 * Kind of device to run on. Unset: any device of the provider.
	 */
	private @Nullable DeviceType deviceType;

	/**
	 * Vendor of the device to run on, as ONNX Runtime reports it (compared ignoring
	 * case), such as 'NVIDIA'. Unset: any.
	 */
	private @Nullable String vendor;

	/**
	 * PCI vendor id of the device to run on, such as 4318 (0x10DE) for NVIDIA. Unset:
	 * any.
	 */
	private @Nullable Integer vendorId;

	/**
	 * Id of the device to run on, as ONNX Runtime reports it. Unset: any.
	 */
	private @Nullable Integer deviceId;

	/**
	 * Whether to compile the model for this provider into an EP-context model once, in a
	 * folder of the compiled-model cache keyed by the model's SHA-256, the ONNX Runtime
	 * version, the provider, its devices and options, and reuse it while ONNX Runtime
	 * says it fits the devices and driver. For providers that make EP-context models:
	 * TensorRT, TensorRT RTX, OpenVINO, QNN.
	 */
	private boolean compile = false;

	/**
	 * Folder under which each model gets a folder of compiled models. Defaults to
	 * 'onnx-gpu-spring-boot/compiled' under $XDG_CACHE_HOME or ~/.cache.
	 */
	private @Nullable Path compiledModelDirectory;

	public @Nullable String getName() {
		return this.name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	public Map<String, String> getOptions() {
		return this.options;
	}

	public void setOptions(Map<String, String> options) {
		this.options = options;
	}

	public @Nullable DeviceType getDeviceType() {
		return this.deviceType;
	}

	public void setDeviceType(@Nullable DeviceType deviceType) {
		this.deviceType = deviceType;
	}

	public @Nullable String getVendor() {
		return this.vendor;
	}

	public void setVendor(@Nullable String vendor) {
		this.vendor = vendor;
	}

	public @Nullable Integer getVendorId() {
		return this.vendorId;
	}

	public void setVendorId(@Nullable Integer vendorId) {
		this.vendorId = vendorId;
	}

	public @Nullable Integer getDeviceId() {
		return this.deviceId;
	}

	public void setDeviceId(@Nullable Integer deviceId) {
		this.deviceId = deviceId;
	}

	public boolean isCompile() {
		return this.compile;
	}

	public void setCompile(boolean compile) {
		this.compile = compile;
	}

	public @Nullable Path getCompiledModelDirectory() {
		return this.compiledModelDirectory;
	}

	public void setCompiledModelDirectory(@Nullable Path compiledModelDirectory) {
		this.compiledModelDirectory = compiledModelDirectory;
	}

}
