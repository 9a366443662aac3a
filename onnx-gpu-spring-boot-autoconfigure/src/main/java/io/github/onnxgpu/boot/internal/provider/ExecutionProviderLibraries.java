package io.github.onnxgpu.boot.internal.provider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.onnxgpu.boot.OnnxModelException;

/**
 * The execution provider libraries of {@code onnx.execution-provider-libraries}: each
 * registered with ONNX Runtime before any session exists, and unregistered when this is
 * closed, which must come after every session is closed (ONNX Runtime requires it).
 * Registers all or none: when one fails, those registered before it are unregistered and
 * start-up stops with the property and the fix.
 */
public final class ExecutionProviderLibraries implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ExecutionProviderLibraries.class);

	/**
	 * The prefix of the properties naming the libraries.
	 */
	public static final String PROPERTY = "onnx.execution-provider-libraries";

	private final OrtEnvironment environment;

	private final Map<String, Path> registered;

	private final Map<String, List<ExecutionDevice>> devices;

	private ExecutionProviderLibraries(OrtEnvironment environment, Map<String, Path> registered,
			Map<String, List<ExecutionDevice>> devices) {
		this.environment = environment;
		this.registered = Collections.unmodifiableMap(registered);
		this.devices = Collections.unmodifiableMap(devices);
	}

	/**
	 * Register the libraries.
	 * @param environment the environment to register them with
	 * @param libraries the library of each registration name
	 * @return the registered libraries, to close after every session
	 * @throws OnnxModelException when a library is missing, is no execution provider
	 * library, or ONNX Runtime refuses it
	 */
	public static ExecutionProviderLibraries register(OrtEnvironment environment, Map<String, Path> libraries) {
		Map<String, Path> registered = new LinkedHashMap<>();
		Map<String, List<ExecutionDevice>> added = new LinkedHashMap<>();
		ExecutionProviderLibraries result = new ExecutionProviderLibraries(environment, registered, added);
		try {
			for (Map.Entry<String, Path> library : libraries.entrySet()) {
				String name = library.getKey();
				Path path = library.getValue().toAbsolutePath();
				Set<ExecutionDevice> before = Set.copyOf(devices(environment, name));
				register(environment, name, path);
				registered.put(name, path);
				List<ExecutionDevice> now = devices(environment, name);
				List<ExecutionDevice> its = now.stream().filter((device) -> !before.contains(device)).toList();
				added.put(name, its);
				if (its.isEmpty()) {
					logger.warn("The execution provider library " + path + " [property " + PROPERTY + "." + name
							+ "] is registered but pairs its provider with no device of this host (no supported "
							+ "device, or its driver is missing): models asking for it fall back or stop as "
							+ "onnx.cuda.fallback says");
				}
				else {
					logger.info("Registered the execution provider library " + path + " as '" + name + "': "
							+ its.stream().map(ExecutionDevice::describe).collect(Collectors.joining("; ")));
				}
			}
			return result;
		}
		catch (RuntimeException ex) {
			result.close();
			throw ex;
		}
	}

	private static void register(OrtEnvironment environment, String name, Path path) {
		String property = PROPERTY + "." + name;
		if (!Files.exists(path)) {
			throw new OnnxModelException(null, property, "the execution provider library " + path + " does not exist",
					"point " + property + " at the provider's shared library, such as "
							+ "/opt/onnxruntime/lib/libonnxruntime_providers_cuda_plugin.so, or remove the entry");
		}
		if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
			throw new OnnxModelException(null, property,
					"the execution provider library " + path + " is not a readable file",
					"point " + property + " at the provider's shared library file, readable by the application");
		}
		try {
			environment.registerExecutionProviderLibrary(name, path.toString());
		}
		catch (OrtException | RuntimeException ex) {
			String reason = CudaProviderSelector.reason(ex);
			String problem;
			if (reason.contains("CreateEpFactories")) {
				problem = "the library " + path + " is not an execution provider library (it has no "
						+ "CreateEpFactories function, which a plugin execution provider exports): " + reason;
			}
			else if (reason.contains("Failed to load library")) {
				problem = "the file " + path + " cannot be loaded as a shared library: " + reason;
			}
			else {
				problem = "ONNX Runtime cannot register the execution provider library " + path + ": " + reason;
			}
			throw new OnnxModelException(null, property, problem,
					"point " + property + " at a plugin execution provider library built for ONNX Runtime "
							+ environment.getVersion() + " (its own dependencies, such as the CUDA libraries, "
							+ "on the library path), or remove the entry",
					ex);
		}
	}

	private static List<ExecutionDevice> devices(OrtEnvironment environment, String name) {
		try {
			return environment.getEpDevices().stream().map(ExecutionDevice::of).toList();
		}
		catch (OrtException ex) {
			throw new OnnxModelException(null, PROPERTY + "." + name,
					"ONNX Runtime cannot list its devices: " + CudaProviderSelector.reason(ex),
					"check the ONNX Runtime installation", ex);
		}
	}

	/**
	 * The registered libraries.
	 * @return the path of each registration name
	 */
	public Map<String, Path> libraries() {
		return this.registered;
	}

	/**
	 * The devices each library added to ONNX Runtime's list when it was registered.
	 * @return the devices of each registration name
	 */
	public Map<String, List<ExecutionDevice>> devices() {
		return this.devices;
	}

	/**
	 * Unregister every library, in the reverse order. Only after every session using them
	 * is closed.
	 */
	@Override
	public void close() {
		List<String> names = new ArrayList<>(this.registered.keySet());
		Collections.reverse(names);
		for (String name : names) {
			try {
				this.environment.unregisterExecutionProviderLibrary(name);
			}
			catch (OrtException | RuntimeException ex) {
				logger.warn("Cannot unregister the execution provider library '" + name + "': "
						+ CudaProviderSelector.reason(ex));
			}
		}
	}

}
