package io.github.onnxgpu.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.onnxruntime.OrtEnvironment;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.Resource;

import io.github.onnxgpu.boot.OnnxModelException;
import io.github.onnxgpu.boot.model.LocationMasking;
import io.github.onnxgpu.boot.startup.DownloadException;
import io.github.onnxgpu.boot.startup.DownloadSettings;
import io.github.onnxgpu.boot.startup.DownloadedFile;
import io.github.onnxgpu.boot.startup.RemoteDownload;
import io.github.onnxgpu.boot.warmup.request.LoopbackRequest;
import io.github.onnxgpu.boot.warmup.request.LoopbackRequestSender;
import io.github.onnxgpu.boot.warmup.request.WarmupRequestRunner;

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
		boolean enabled = (warmup.getEnabled() != null) ? warmup.getEnabled() : WarmupOptions.DEFAULT_ENABLED;
		List<LoopbackRequest> requests = enabled
				? requests(warmup.getRequests(), DownloadSettingsMapper.map(properties.getDownload())) : List.of();
		return new WarmupRequestRunner(requests,
				(warmup.getOnFailure() != null) ? warmup.getOnFailure() : WarmupOptions.DEFAULT_ON_FAILURE,
				(warmup.getTimeout() != null) ? warmup.getTimeout() : WarmupOptions.DEFAULT_TIMEOUT);
	}

	/**
	 * Check the configured requests and read their bodies, so that a mistake stops
	 * start-up before the models are warmed.
	 * @param configured the configured requests
	 * @param downloads the bounds of a body at an http: location
	 * @return the requests to send
	 */
	static List<LoopbackRequest> requests(List<WarmupRequest> configured, DownloadSettings downloads) {
		List<LoopbackRequest> requests = new ArrayList<>();
		for (int i = 0; i < configured.size(); i++) {
			WarmupRequest request = configured.get(i);
			String property = LoopbackRequest.property(i);
			String path = (request.getPath() != null) ? request.getPath().strip() : "";
			if (!path.startsWith("/")) {
				throw new OnnxModelException(null, property + ".path",
						"warm-up request " + i + " has path '" + path + "', which does not start with '/'",
						"give the path below the context path, such as /predict");
			}
			if (request.getRepeat() < 1) {
				throw new OnnxModelException(null, property + ".repeat",
						"warm-up request " + i + " is repeated " + request.getRepeat() + " times",
						"give a repeat of at least 1 (10 by default)");
			}
			LoopbackRequest loopback = new LoopbackRequest(i, request.getMethod(), path,
					body(i, property, request.getBody(), downloads), request.getContentType(), request.getHeaders(),
					request.getRepeat(), request.getExpectStatus());
			try {
				LoopbackRequestSender.build(URI.create("http://127.0.0.1:8080"), loopback, Duration.ofSeconds(1));
			}
			catch (IllegalArgumentException ex) {
				throw new OnnxModelException(null, property,
						"warm-up request " + i + " cannot be sent: " + ex.getMessage(),
						"use a path with valid URI characters (percent-encode others) and headers the JDK HTTP client "
								+ "may set (not Host, Connection, Content-Length, Expect or Upgrade)",
						ex);
			}
			requests.add(loopback);
		}
		return requests;
	}

	private static byte @Nullable [] body(int index, String property, @Nullable Resource body,
			DownloadSettings downloads) {
		if (body == null) {
			return null;
		}
		if (RemoteDownload.isRemote(body)) {
			return download(index, property, body, downloads);
		}
		try (InputStream in = body.getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new OnnxModelException(null, property + ".body",
					"the body " + shown(body) + " cannot be read: " + LocationMasking.maskUrlsIn(ex.getMessage()),
					"point it at an existing resource, such as classpath:/warmup/request.json", ex);
		}
	}

	// streamed to a file under the download bounds: a silent server must not hang
	// start-up
	private static byte[] download(int index, String property, Resource body, DownloadSettings downloads) {
		String shown = shown(body);
		DownloadedFile file;
		try {
			file = RemoteDownload.download(body, downloads, "Warm-up request " + index, shown,
					"onnx-warmup-body-" + index + "-");
		}
		catch (DownloadException ex) {
			throw new OnnxModelException(null, (ex.getProperty() != null) ? ex.getProperty() : property + ".body",
					"the body " + shown + " of warm-up request " + index + " "
							+ LocationMasking.maskUrlsIn(ex.getMessage()),
					(ex.getFix() != null) ? ex.getFix() : "point " + property
							+ ".body at an existing resource, such as " + "classpath:/warmup/request.json",
					null);
		}
		try {
			return file.readAllBytes();
		}
		catch (IOException ex) {
			throw new OnnxModelException(null, DownloadSettings.PREFIX + "directory",
					"the downloaded body of warm-up request " + index + " cannot be read: " + ex.getMessage(),
					"set " + DownloadSettings.PREFIX + "directory to a folder this application can read", ex);
		}
		finally {
			file.delete();
		}
	}

	private static String shown(Resource body) {
		try {
			return LocationMasking.mask(body.getURL().toString());
		}
		catch (IOException ex) {
			return LocationMasking.maskUrlsIn(body.getDescription());
		}
	}

}
