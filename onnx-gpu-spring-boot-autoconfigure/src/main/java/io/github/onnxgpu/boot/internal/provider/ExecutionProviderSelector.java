package io.github.onnxgpu.boot.internal.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtEpDevice;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.internal.provider.ProviderChoice.NamedProvider;
import io.github.onnxgpu.boot.model.CudaFallback;

/**
 * Adds an execution provider a model asks for by name
 * ({@code onnx.models.<name>.execution-provider.name}), built in or registered as a
 * library, with the devices ONNX Runtime's device discovery pairs it with and that pass
 * the model's device filters. When it finds no device or ONNX Runtime refuses it, the
 * model's fallback ({@code onnx.cuda.fallback}) decides, as for CUDA: a start-up failure
 * naming the property and the fix, or the CPU with the reason recorded.
 */
public class ExecutionProviderSelector {

	private static final Log logger = LogFactory.getLog(ExecutionProviderSelector.class);

	private final OrtEnvironment environment;

	private final ExecutionProviderInstaller installer;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	/**
	 * Create a selector.
	 * @param environment the environment whose devices are listed
	 * @param installer adds the provider
	 */
	public ExecutionProviderSelector(OrtEnvironment environment, ExecutionProviderInstaller installer) {
		this.environment = environment;
		this.installer = installer;
	}

	/**
	 * Add the provider to the options.
	 * @param modelName the model's name, for messages
	 * @param settings the provider asked for
	 * @param fallback what to do when it cannot be added
	 * @param options the session options
	 * @return the choice; when it is the CPU after a failure, the options must be
	 * discarded in favour of fresh ones
	 * @throws OnnxModelException when the provider cannot be added and the fallback is
	 * FAIL
	 */
	public ProviderChoice select(String modelName, ExecutionProviderSettings settings, CudaFallback fallback,
			SessionOptions options) {
		List<OrtEpDevice> all;
		try {
			all = this.environment.getEpDevices();
		}
		catch (OrtException ex) {
			return failed(modelName, settings, fallback, List.of(), "name",
					"ONNX Runtime cannot list its devices: " + CudaProviderSelector.reason(ex), ex);
		}
		List<ExecutionDevice> described = all.stream().map(ExecutionDevice::of).toList();
		List<ExecutionDevice> ofProvider = described.stream()
			.filter((device) -> device.provider().equals(settings.name()))
			.toList();
		if (ofProvider.isEmpty()) {
			return failed(modelName, settings, fallback, List.of(), "name",
					"ONNX Runtime lists no device of the execution provider '" + settings.name() + "' (its devices: "
							+ describe(described) + ")",
					null);
		}
		List<ExecutionDevice> remaining = ofProvider;
		for (Map.Entry<String, Predicate<ExecutionDevice>> filter : settings.filters().entrySet()) {
			List<ExecutionDevice> passing = remaining.stream().filter(filter.getValue()).toList();
			if (passing.isEmpty()) {
				String suffix = filter.getKey().substring(0, filter.getKey().indexOf('='));
				return failed(modelName, settings, fallback, List.of(), suffix, "no device of the execution provider '"
						+ settings.name() + "' has " + filter.getKey() + " (its devices: " + describe(remaining) + ")",
						null);
			}
			remaining = passing;
		}
		List<ExecutionDevice> chosen = remaining;
		List<OrtEpDevice> devices = new ArrayList<>();
		for (int i = 0; i < all.size(); i++) {
			if (chosen.contains(described.get(i))) {
				devices.add(all.get(i));
			}
		}
		try {
			this.installer.install(options, devices, settings.options());
		}
		catch (OrtException | RuntimeException | UnsatisfiedLinkError ex) {
			return failed(modelName, settings, fallback, chosen, "options",
					"ONNX Runtime cannot add the execution provider '" + settings.name() + "': "
							+ CudaProviderSelector.reason(ex),
					ex);
		}
		OrtProvider typed = typed(settings.name(), chosen);
		return new ProviderChoice(typed, typed, null, List.of(), new NamedProvider(settings.name(), chosen, true));
	}

	/**
	 * Go on after a session with the provider could not be created: the fallback.
	 * @param modelName the model's name, for messages
	 * @param settings the provider asked for
	 * @param fallback what to do
	 * @param chosen the choice the session failed with
	 * @param failure why the session could not be created
	 * @return the CPU, with the reason
	 * @throws OnnxModelException when the fallback is FAIL
	 */
	public ProviderChoice afterSessionFailure(String modelName, ExecutionProviderSettings settings,
			CudaFallback fallback, ProviderChoice chosen, Throwable failure) {
		List<ExecutionDevice> devices = (chosen.executionProvider() != null) ? chosen.executionProvider().devices()
				: List.of();
		return failed(modelName, settings, fallback, devices, "options",
				"the session cannot be created with '" + settings.name() + "': " + CudaProviderSelector.reason(failure),
				failure);
	}

	private ProviderChoice failed(String modelName, ExecutionProviderSettings settings, CudaFallback fallback,
			List<ExecutionDevice> devices, String suffix, String reason, Throwable cause) {
		String property = OnnxModelException.modelProperty(modelName, "execution-provider." + suffix);
		if (fallback == CudaFallback.FAIL) {
			String fix = switch (suffix) {
				case "name" -> "use a provider name that /actuator/onnx lists under devices (names are case-sensitive; "
						+ "a provider shipped as a library must be registered under "
						+ "onnx.execution-provider-libraries.<registration-name>, and finds devices only where its "
						+ "driver is installed)";
				case "options" -> "check the provider's options and that its libraries and driver are installed";
				default -> "choose a device that /actuator/onnx lists under devices for '" + settings.name()
						+ "', or remove " + property;
			};
			throw new OnnxModelException(modelName, property, reason,
					fix + ", or set onnx.cuda.fallback=cpu to run on the CPU", cause);
		}
		String warning = "ONNX model '" + modelName + "' runs on the CPU: " + reason + " [property " + property + "]";
		if (this.warned.add(warning)) {
			logger.warn(warning);
		}
		OrtProvider typed = typed(settings.name(), devices);
		return new ProviderChoice(typed, OrtProvider.CPU, reason, List.of(settings.name() + ": " + reason),
				new NamedProvider(settings.name(), devices, false));
	}

	/**
	 * The typed provider that stands for a named one where a typed one is shown: the one
	 * of that name when ONNX Runtime's {@link OrtProvider} names it, else the CPU for a
	 * provider on CPU devices and CUDA for any other (a plugin provider, whose own name
	 * is in {@link ProviderChoice#executionProvider()}).
	 * @param name the provider's name
	 * @param devices the devices it was given or found
	 * @return the typed provider
	 */
	private static OrtProvider typed(String name, List<ExecutionDevice> devices) {
		try {
			return OrtProvider.mapFromName(name);
		}
		catch (IllegalArgumentException ex) {
			boolean onCpu = !devices.isEmpty() && devices.stream().allMatch((device) -> device.type().equals("CPU"));
			return onCpu ? OrtProvider.CPU : OrtProvider.CUDA;
		}
	}

	private static String describe(List<ExecutionDevice> devices) {
		return devices.isEmpty() ? "none"
				: devices.stream().map(ExecutionDevice::describe).collect(Collectors.joining("; "));
	}

}
