package io.github.onnxgpu.actuatorsecurity;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * Security for the actuator endpoints: health open for the probes, the others for
 * operators over HTTP basic, and reloads ({@code POST /actuator/onnx/{name}}) accepted
 * without a CSRF token; the rest of the application signed in as before.
 */
@Configuration(proxyBeanMethods = false)
public class ActuatorSecurityConfiguration {

	@Bean
	@Order(1)
	SecurityFilterChain actuatorSecurityFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher(EndpointRequest.toAnyEndpoint());
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to("health"))
			.permitAll()
			.anyRequest()
			.hasRole("OPERATOR"));
		http.httpBasic(withDefaults());
		// the reload's clients (curl, a deployment job) send no CSRF token
		http.csrf((csrf) -> csrf.ignoringRequestMatchers(EndpointRequest.to("onnx")));
		return http.build();
	}

	@Bean
	SecurityFilterChain applicationSecurityFilterChain(HttpSecurity http) throws Exception {
		// Boot's default chain is off once you declare one: secure the rest here
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
		http.formLogin(withDefaults());
		http.httpBasic(withDefaults());
		return http.build();
	}

}
