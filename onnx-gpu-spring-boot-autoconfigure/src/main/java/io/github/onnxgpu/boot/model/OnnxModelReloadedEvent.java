package io.github.onnxgpu.boot.model;

import org.springframework.context.ApplicationEvent;

/**
 * Published after each reload of a model, whatever its outcome, whether the endpoint,
 * polling or {@link OnnxModelRegistry#reload} asked for it: listen to it
 * ({@code @EventListener}) to react to a new version or to a refused one.
 *
 * @since 0.1.0
 */
public class OnnxModelReloadedEvent extends ApplicationEvent {

	private final String model;

	private final ReloadAttempt attempt;

	/**
	 * Create the event.
	 * @param source the registry of the model
	 * @param model the model's name
	 * @param attempt what the reload did
	 */
	public OnnxModelReloadedEvent(OnnxModelRegistry source, String model, ReloadAttempt attempt) {
		super(source);
		this.model = model;
		this.attempt = attempt;
	}

	/**
	 * The model reloaded.
	 * @return its name
	 */
	public String getModel() {
		return this.model;
	}

	/**
	 * What the reload did.
	 * @return the attempt
	 */
	public ReloadAttempt getAttempt() {
		return this.attempt;
	}

}
