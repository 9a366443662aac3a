package io.github.onnxgpu.boot;

import org.jspecify.annotations.Nullable;

/**
 * A model cannot be served as configured. Names the model, the configuration property to
 * look at and what to do about it, so that start-up stops with an actionable message.
 *
 * @since 0.1.0
 */
public class OnnxModelException extends RuntimeException {

	private final @Nullable String modelName;

	private final String property;

	private final String problem;

	private final String action;

	/**
	 * Create a new exception.
	 * @param modelName the model's name, {@code null} when all models are concerned
	 * @param property the full name of the configuration property at fault
	 * @param problem what is wrong
	 * @param action what the user should do
	 * @param cause the underlying failure, {@code null} when there is none
	 */
	public OnnxModelException(@Nullable String modelName, String property, String problem, String action,
			@Nullable Throwable cause) {
		super(message(modelName, property, problem, action), cause);
		this.modelName = modelName;
		this.property = property;
		this.problem = problem;
		this.action = action;
	}

	public OnnxModelException(@Nullable String modelName, String property, String problem, String action) {
		this(modelName, property, problem, action, null);
	}

	/**
	 * The full name of a property of a model, such as
	 * {@code onnx.models.detector.location}.
	 * @param modelName the model's name
	 * @param suffix the property below the model, such as {@code location}
	 * @return the full property name
	 */
	public static String modelProperty(String modelName, String suffix) {
		return "onnx.models." + modelName + "." + suffix;
	}

	private static String message(@Nullable String modelName, String property, String problem, String action) {
		String subject = (modelName != null) ? "ONNX model '" + modelName + "'" : "ONNX configuration";
		return subject + ": " + problem + " [property " + property + "]. Fix: " + action;
	}

	public @Nullable String getModelName() {
		return this.modelName;
	}

	public String getProperty() {
		return this.property;
	}

	/**
	 * What is wrong, without the model, the property and the fix.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

	public String getAction() {
		return this.action;
	}

}
