package io.github.onnxgpu.benchmarks.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The machine the figures were measured on, written beside them.
 *
 * @param cpuModel the CPU model from /proc/cpuinfo, or the architecture elsewhere
 * @param cores the processors available to the JVM
 * @param memoryGb the machine's memory, or 0 when unknown
 * @param os the operating system
 * @param java the Java runtime
 * @param ortVersion the ONNX Runtime version
 * @param ortProviders the execution providers this ONNX Runtime build offers
 * @param provider the provider the benchmarks ran on
 * @param loadAverageAtStart the 1-minute load average when the suite started, or -1 when
 * unknown: other work on the machine makes the figures noisier
 */
public record MachineInfo(String cpuModel, int cores, long memoryGb, String os, String java, String ortVersion,
		List<String> ortProviders, String provider, double loadAverageAtStart) {

	/**
	 * Describe this machine.
	 * @param ortVersion the ONNX Runtime version
	 * @param ortProviders the providers of the ONNX Runtime build
	 * @param provider the provider the benchmarks ran on
	 * @return the description
	 */
	public static MachineInfo detect(String ortVersion, List<String> ortProviders, String provider) {
		return new MachineInfo(detectCpuModel(), Runtime.getRuntime().availableProcessors(), detectMemoryGb(),
				System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
						+ System.getProperty("os.arch"),
				System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), ortVersion,
				ortProviders, provider, loadAverage());
	}

	/**
	 * The 1-minute load average now.
	 * @return the load average, or -1 when unknown
	 */
	public static double loadAverage() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

	private static String detectCpuModel() {
		return procLine(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
	}

	private static long detectMemoryGb() {
		return procLine(Path.of("/proc/meminfo"), "MemTotal")
			.map((value) -> Math.round(Long.parseLong(value.replace("kB", "").trim()) / 1024.0 / 1024.0))
			.orElse(0L);
	}

	private static Optional<String> procLine(Path file, String key) {
		try {
			return Files.readAllLines(file)
				.stream()
				.filter((line) -> line.startsWith(key))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst();
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

}
