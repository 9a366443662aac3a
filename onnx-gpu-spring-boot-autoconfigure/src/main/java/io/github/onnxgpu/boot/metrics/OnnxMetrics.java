package io.github.onnxgpu.boot.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.onnxgpu.boot.session.InferenceListener;
import io.github.onnxgpu.boot.session.OnnxModel;
import io.github.onnxgpu.boot.session.OnnxModelRegistry;
import io.github.onnxgpu.boot.warmup.WarmupPlan;
import io.github.onnxgpu.boot.warmup.WarmupResult;
import io.github.onnxgpu.boot.warmup.WarmupSample;
import io.github.onnxgpu.boot.warmup.WarmupShape;

/**
 * Micrometer metrics of the models: session creation and warmup times as gauges that
 * read the registry, and the {@code onnx.inference} timer of runs made through
 * {@link io.github.onnxgpu.boot.session.OnnxInference}.
 *
 * @since 0.1.0
 */
public class OnnxMetrics implements MeterBinder, InferenceListener {

	/**
	 * Time gauge: session creation, execution provider set-up included.
	 */
	public static final String SESSION_CREATION = "onnx.session.creation";

	/**
	 * Time gauge: wall time of the model's warmup.
	 */
	public static final String WARMUP_DURATION = "onnx.warmup.duration";

	/**
	 * Time gauge: first run of a warmup shape.
	 */
	public static final String WARMUP_SAMPLE_FIRST = "onnx.warmup.sample.first";

	/**
	 * Time gauge: last run of a warmup shape.
	 */
	public static final String WARMUP_SAMPLE_LAST = "onnx.warmup.sample.last";

	/**
	 * Timer: runs of a model through {@link io.github.onnxgpu.boot.session.OnnxInference}.
	 */
	public static final String INFERENCE = "onnx.inference";

	private final OnnxModelRegistry registry;

	private volatile MeterRegistry meterRegistry;

	// success and error timers built once per model: the inference path only looks them up
	private final Map<OnnxModel, Timer[]> timers = new ConcurrentHashMap<>();

	public OnnxMetrics(OnnxModelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		this.meterRegistry = meterRegistry;
		for (OnnxModel model : this.registry.models()) {
			Tags tags = tags(model);
			TimeGauge.builder(SESSION_CREATION, model, TimeUnit.MILLISECONDS,
					(m) -> m.sessionCreation().toNanos() / 1e6)
				.description("Time to create the session, execution provider set-up included")
				.tags(tags)
				.register(meterRegistry);
			TimeGauge.builder(WARMUP_DURATION, model, TimeUnit.MILLISECONDS,
					(m) -> millis(m, WarmupResult::duration))
				.description("Wall time of the model's warmup")
				.tags(tags)
				.register(meterRegistry);
			var samples = model.warmupPlan().samples();
			for (int i = 0; i < samples.size(); i++) {
				Tags sampleTags = tags.and("shape", shape(samples.get(i)));
				int index = i;
				TimeGauge.builder(WARMUP_SAMPLE_FIRST, model, TimeUnit.MILLISECONDS,
						(m) -> sampleMillis(m, index, WarmupSample::first))
					.description("First run of a warmup shape: what an unwarmed first request would cost")
					.tags(sampleTags)
					.register(meterRegistry);
				TimeGauge.builder(WARMUP_SAMPLE_LAST, model, TimeUnit.MILLISECONDS,
						(m) -> sampleMillis(m, index, WarmupSample::last))
					.description("Last run of a warmup shape: close to steady state")
					.tags(sampleTags)
					.register(meterRegistry);
			}
		}
	}

	@Override
	public void onRun(OnnxModel model, long nanos, Throwable failure) {
		MeterRegistry meters = this.meterRegistry;
		if (meters == null) {
			return;
		}
		Timer[] outcomes = this.timers.computeIfAbsent(model,
				(key) -> new Timer[] { inferenceTimer(meters, key, "success"), inferenceTimer(meters, key, "error") });
		outcomes[(failure != null) ? 1 : 0].record(nanos, TimeUnit.NANOSECONDS);
	}

	private static Timer inferenceTimer(MeterRegistry meters, OnnxModel model, String outcome) {
		return Timer.builder(INFERENCE)
			.description("Runs of the model through OnnxInference")
			.tags(tags(model).and("outcome", outcome))
			.register(meters);
	}

	private static Tags tags(OnnxModel model) {
		return Tags.of("model", model.name(), "provider", model.provider().provider().name());
	}

	/**
	 * The shape tag of a sample: the dimensions of a single input such as
	 * {@code 1x3x640x640}, or {@code input:dims} pairs for several inputs.
	 * @param sample a warmup sample
	 * @return the tag value
	 */
	static String shape(WarmupPlan.Sample sample) {
		Map<String, long[]> dims = sample.dimensions();
		if (dims.size() == 1) {
			return WarmupShape.format(dims.values().iterator().next());
		}
		return dims.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + ":" + WarmupShape.format(entry.getValue()))
			.collect(Collectors.joining(","));
	}

	private static double millis(OnnxModel model, Function<WarmupResult, Duration> value) {
		WarmupResult result = model.warmupResult();
		return (result != null) ? value.apply(result).toNanos() / 1e6 : Double.NaN;
	}

	private static double sampleMillis(OnnxModel model, int index, Function<WarmupSample, Duration> value) {
		WarmupResult result = model.warmupResult();
		if (result == null || index >= result.samples().size()) {
			return Double.NaN;
		}
		Duration duration = value.apply(result.samples().get(index));
		return (duration != null) ? duration.toNanos() / 1e6 : Double.NaN;
	}

}
