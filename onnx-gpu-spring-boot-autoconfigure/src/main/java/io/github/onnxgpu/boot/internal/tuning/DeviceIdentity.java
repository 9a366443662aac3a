package io.github.onnxgpu.boot.internal.tuning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtEpDevice;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtHardwareDevice;

/**
 * Names the hardware a tuning choice was measured on, for the tuning cache's key: the
 * accelerators ONNX Runtime reports ({@link OrtEnvironment#getEpDevices()}) where it
 * names one, else the CPU model and the number of cores the JVM may use (a pod with other
 * CPU limits measures other thread counts).
 */
public final class DeviceIdentity {

	private DeviceIdentity() {
	}

	/**
	 * Describe the device.
	 * @param environment the environment
	 * @return a description, stable for the same hardware
	 */
	public static String describe(OrtEnvironment environment) {
		List<String> accelerators = new ArrayList<>();
		try {
			for (OrtEpDevice device : environment.getEpDevices()) {
				OrtHardwareDevice hardware = device.getDevice();
				if (hardware.getType() != OrtHardwareDevice.OrtHardwareDeviceType.CPU) {
					accelerators.add(device.getEpName() + " " + hardware.getType() + " " + hardware.getVendor() + " "
							+ hardware.getVendorId() + ":" + hardware.getDeviceId());
				}
			}
		}
		catch (OrtException | RuntimeException | LinkageError ex) {
			// an ONNX Runtime without device discovery: the CPU alone names the machine
		}
		accelerators.addAll(nvidiaGpus());
		String cpu = "CPU " + cpuModel().orElse(System.getProperty("os.arch")) + " x"
				+ Runtime.getRuntime().availableProcessors();
		return accelerators.isEmpty() ? cpu : String.join(", ", accelerators) + "; " + cpu;
	}

	// CUDA and TensorRT are added through session options, so device discovery does not
	// list their GPUs; the NVIDIA driver names them
	private static List<String> nvidiaGpus() {
		Path gpus = Path.of("/proc/driver/nvidia/gpus");
		List<String> models = new ArrayList<>();
		if (!Files.isDirectory(gpus)) {
			return models;
		}
		try (Stream<Path> folders = Files.list(gpus)) {
			for (Path folder : folders.sorted().toList()) {
				try (Stream<String> lines = Files.lines(folder.resolve("information"))) {
					lines.filter((line) -> line.startsWith("Model:"))
						.map((line) -> "GPU " + line.substring(line.indexOf(':') + 1).strip())
						.forEach(models::add);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// no driver information: the other parts name the machine
		}
		return models;
	}

	private static Optional<String> cpuModel() {
		Path cpuInfo = Path.of("/proc/cpuinfo");
		if (!Files.isReadable(cpuInfo)) {
			return Optional.empty();
		}
		try (Stream<String> lines = Files.lines(cpuInfo)) {
			return lines.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).strip())
				.findFirst();
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

}
