package io.github.onnxgpu.boot.internal.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.batching.Batcher;
import io.github.onnxgpu.boot.internal.batching.BatchingListener;
import io.github.onnxgpu.boot.internal.session.ManagedModel;
import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.warmup.Dimensions;
import io.github.onnxgpu.boot.internal.warmup.ResolvedShape;
import io.github.onnxgpu.boot.internal.warmup.ShapeTimings;
import io.github.onnxgpu.boot.internal.warmup.WarmupResult;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;
import io.github.onnxgpu.boot.observation.DefaultInferenceObservationConvention;

/**
 * Micrometer metrics of the models: session creation and warmup times as gauges that read
 * the registry. The {@code onnx.inference} timer comes from the observations of
 * {@link io.github.onnxgpu.boot.model.OnnxInference}.
 */
public class OnnxMetrics implements MeterBinder {

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
	 * Time gauge: how long the model's start-up tuning took; no value when it did not run
	 * (not tuned, or the choice came from the tuning cache).
	 */
	public static final String TUNING_DURATION = "onnx.tuning.duration";

	/**
	 * Gauge: the index of the tuning candidate that serves the model; no value while none
	 * does.
	 */
	public static final String TUNING_CHOSEN = "onnx.tuning.chosen";

	/**
	 * Timer: runs of a model through {@link io.github.onnxgpu.boot.model.OnnxInference}.
	 */
	public static final String INFERENCE = DefaultInferenceObservationConvention.NAME;

	/**
	 * Distribution summary: runs per batch of a batched model.
	 */
	public static final String BATCH_SIZE = "onnx.batch.size";

	/**
	 * Timer: how long runs of a batched model waited in its queue.
	 */
	public static final String BATCH_QUEUE_TIME = "onnx.batch.queue.time";

	/**
	 * Gauge: runs waiting in a batched model's queue now; what an autoscaler scales on.
	 */
	public static final String BATCH_QUEUE_DEPTH = "onnx.batch.queue.depth";

	/**
	 * Counter: runs of a batched model refused, tagged with the {@code reason}
	 * ({@code queue_full}, {@code timeout}, {@code shutting_down}).
	 */
	public static final String BATCH_REFUSED = "onnx.batch.refused";

	private final ManagedModelRegistry registry;

	public OnnxMetrics(ManagedModelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		for (ManagedModel model : this.registry.models()) {
			Tags tags = tags(model);
			TimeGauge
				.builder(SESSION_CREATION, model, TimeUnit.MILLISECONDS, (m) -> m.sessionCreation().toNanos() / 1e6)
				.description("Time to create the session, execution provider set-up included")
				.tags(tags)
				.register(meterRegistry);
			TimeGauge.builder(WARMUP_DURATION, model, TimeUnit.MILLISECONDS, (m) -> millis(m, WarmupResult::duration))
				.description("Wall time of the model's warmup")
				.tags(tags)
				.register(meterRegistry);
			if (model.definition().tuning().enabled()) {
				TimeGauge.builder(TUNING_DURATION, model, TimeUnit.MILLISECONDS, OnnxMetrics::tuningMillis)
					.description("How long the model's start-up tuning took")
					.tags(tags)
					.register(meterRegistry);
				Gauge.builder(TUNING_CHOSEN, model, OnnxMetrics::chosen)
					.description("Index of the tuning candidate that serves the model")
					.tags(tags)
					.register(meterRegistry);
			}
			Batcher batcher = model.batcher();
			if (batcher != null) {
				bindBatching(meterRegistry, batcher, Tags.of("model", model.name()));
			}
			var samples = model.warmupPlan().samples();
			for (int i = 0; i < samples.size(); i++) {
				Tags sampleTags = tags.and("shape", shape(samples.get(i)));
				int index = i;
				TimeGauge
					.builder(WARMUP_SAMPLE_FIRST, model, TimeUnit.MILLISECONDS,
							(m) -> sampleMillis(m, index, ShapeTimings::first))
					.description("First run of a warmup shape: what an unwarmed first request would cost")
					.tags(sampleTags)
					.register(meterRegistry);
				TimeGauge
					.builder(WARMUP_SAMPLE_LAST, model, TimeUnit.MILLISECONDS,
							(m) -> sampleMillis(m, index, ShapeTimings::last))
					.description("Last run of a warmup shape: close to steady state")
					.tags(sampleTags)
					.register(meterRegistry);
			}
		}
	}

	private static void bindBatching(MeterRegistry meterRegistry, Batcher batcher, Tags tags) {
		DistributionSummary size = DistributionSummary.builder(BATCH_SIZE)
			.description("Runs per batch")
			.baseUnit("runs")
			.tags(tags)
			.register(meterRegistry);
		Timer queueTime = Timer.builder(BATCH_QUEUE_TIME)
			.description("How long runs waited in the batching queue")
			.tags(tags)
			.register(meterRegistry);
		Gauge.builder(BATCH_QUEUE_DEPTH, batcher, (b) -> b.stats().queueDepth())
			.description("Runs waiting in the batching queue now")
			.tags(tags)
			.register(meterRegistry);
		Map<OnnxModelBusyException.Reason, Counter> refused = new EnumMap<>(OnnxModelBusyException.Reason.class);
		for (OnnxModelBusyException.Reason reason : OnnxModelBusyException.Reason.values()) {
			refused.put(reason,
					Counter.builder(BATCH_REFUSED)
						.description("Runs refused by the batcher")
						.tags(tags.and("reason", reason.name().toLowerCase(Locale.ROOT)))
						.register(meterRegistry));
		}
		batcher.addListener(new BatchingListener() {

			@Override
			public void batchRun(int requests, int samples) {
				size.record(requests);
			}

			@Override
			public void queued(long nanos) {
				queueTime.record(nanos, TimeUnit.NANOSECONDS);
			}

			@Override
			public void refused(OnnxModelBusyException.Reason reason) {
				refused.get(reason).increment();
			}

		});
	}

	private static Tags tags(ManagedModel model) {
		return Tags.of("model", model.name(), "provider", model.provider().active().name());
	}

	/**
	 * The shape tag of a sample: the dimensions of a single input such as
	 * {@code 1x3x640x640}, or {@code input:dims} pairs for several inputs.
	 * @param sample a warmup sample
	 * @return the tag value
	 */
	static String shape(ResolvedShape sample) {
		Map<String, long[]> dims = sample.dimensions();
		if (dims.size() == 1) {
			return Dimensions.format(dims.values().iterator().next());
		}
		return dims.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + ":" + Dimensions.format(entry.getValue()))
			.collect(Collectors.joining(","));
	}

	private static double millis(ManagedModel model, Function<WarmupResult, Duration> value) {
		WarmupResult result = model.warmupResult();
		return (result != null) ? value.apply(result).toNanos() / 1e6 : Double.NaN;
	}

	private static double tuningMillis(ManagedModel model) {
		Double millis = model.tuningReport().tuningMillis();
		return (millis != null) ? millis : Double.NaN;
	}

	private static double chosen(ManagedModel model) {
		Integer chosen = model.tuningReport().chosen();
		return (chosen != null) ? chosen : Double.NaN;
	}

	private static double sampleMillis(ManagedModel model, int index,
			Function<ShapeTimings, @Nullable Duration> value) {
		WarmupResult result = model.warmupResult();
		if (result == null || index >= result.samples().size()) {
			return Double.NaN;
		}
		Duration duration = value.apply(result.samples().get(index));
		return (duration != null) ? duration.toNanos() / 1e6 : Double.NaN;
	}

}
