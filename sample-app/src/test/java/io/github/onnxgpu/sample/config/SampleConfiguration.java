package io.github.onnxgpu.sample.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The sample's configuration files as Spring Boot reads them, without starting the
 * application (and without CUDA): {@code application.yml} and profile files layered in
 * Boot's order of precedence.
 */
final class SampleConfiguration {

	private SampleConfiguration() {
	}

	/**
	 * The property sources of {@code application.yml} and the given profiles, the last
	 * profile first as it wins.
	 * @param profiles the active profiles
	 * @return the sources, highest precedence first
	 */
	static List<PropertySource<?>> sources(String... profiles) {
		List<PropertySource<?>> sources = new ArrayList<>();
		for (int i = profiles.length - 1; i >= 0; i--) {
			sources.addAll(load("application-" + profiles[i] + ".yml"));
		}
		sources.addAll(load("application.yml"));
		return sources;
	}

	static Binder binder(List<PropertySource<?>> sources) {
		Iterable<ConfigurationPropertySource> configurationSources = ConfigurationPropertySources.from(sources);
		return new Binder(configurationSources);
	}

	private static List<PropertySource<?>> load(String file) {
		try {
			ClassPathResource resource = new ClassPathResource(file);
			if (!resource.exists()) {
				throw new IllegalStateException(file + " is not on the classpath");
			}
			return new YamlPropertySourceLoader().load(file, resource);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
