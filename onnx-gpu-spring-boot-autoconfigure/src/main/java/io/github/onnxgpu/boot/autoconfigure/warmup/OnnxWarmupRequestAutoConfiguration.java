package io.github.onnxgpu.boot.autoconfigure.warmup;

import java.util.ArrayList;
import java.util.List;

import ai.onnxruntime.OrtEnvironment;
import jakarta.servlet.Filter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.OnnxProperties;
import io.github.onnxgpu.boot.autoconfigure.WarmupRequest;
import io.github.onnxgpu.boot.internal.startup.DownloadSettings;
import io.github.onnxgpu.boot.internal.warmup.request.LoopbackRequest;
import io.github.onnxgpu.boot.internal.warmup.request.LoopbackRequestCheck;
import io.github.onnxgpu.boot.internal.warmup.request.WarmupRequestFilter;
import io.github.onnxgpu.boot.internal.warmup.request.WarmupRequestRunner;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for warm-up requests: {@code onnx.warmup.requests} sent by the
 * application to itself after the models are warm and before it accepts traffic.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OnnxAutoConfiguration.class)
@ConditionalOnClass(OrtEnvironment.class)
@EnableConfigurationProperties(OnnxProperties.class)
public final class OnnxWarmupRequestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WarmupRequestRunner onnxWarmupRequestRunner(OnnxProperties properties) {
		OnnxProperties.Warmup warmup = properties.getWarmup();
		List<LoopbackRequest> requests = warmup.isEnabled()
				? requests(warmup.getRequests(), downloads(properties.getDownload())) : List.of();
		return new WarmupRequestRunner(requests, warmup.getOnFailure(),
				LoopbackRequestCheck.positive("onnx.warmup.request-timeout", warmup.getRequestTimeout(), "30s"),
				LoopbackRequestCheck.positive("onnx.warmup.all-requests-timeout", warmup.getAllRequestsTimeout(),
						"2m"));
	}

	private static DownloadSettings downloads(OnnxProperties.Download download) {
		return DownloadSettings.checked(download.getConnectTimeout(), download.getReadTimeout(), download.getTimeout(),
				download.getDirectory());
	}

	private static List<LoopbackRequest> requests(List<WarmupRequest> configured, DownloadSettings downloads) {
		List<LoopbackRequest> requests = new ArrayList<>();
		for (int i = 0; i < configured.size(); i++) {
			WarmupRequest request = configured.get(i);
			requests.add(LoopbackRequestCheck.checked(i, request.getMethod(), request.getPath(), request.getBody(),
					request.getContentType(), request.getHeaders(), request.getRepeat(), request.getExpectStatus(),
					downloads));
		}
		return requests;
	}

	/**
	 * Lets shutdown interrupt the server's side of a warm-up request, which graceful
	 * shutdown would wait for otherwise.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Filter.class)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnProperty("onnx.warmup.requests[0].path")
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WarmupRequestFilter onnxWarmupRequestFilter(WarmupRequestRunner runner) {
			return new WarmupRequestFilter(runner);
		}

	}

}
