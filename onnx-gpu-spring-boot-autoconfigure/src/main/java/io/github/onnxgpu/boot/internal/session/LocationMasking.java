package io.github.onnxgpu.boot.internal.session;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.lang.Contract;

/**
 * Hides credentials in model locations before they are shown: the user info of a URL
 * ({@code https://user:******@host/...}, or {@code https://******@host/...} when there is
 * only a user, often a token) and every query value ({@code ?token=******}). Plain paths,
 * {@code classpath:} and {@code file:} locations without either are returned as they are.
 * Used wherever a location appears: the {@code onnx} endpoint, start-up failure messages
 * and logs. Locations are scanned as text rather than parsed as URIs, so that those that
 * are no valid URI (a space in a path, an unencoded character in a password) are masked
 * too.
 */
public final class LocationMasking {

	/**
	 * What stands in for a hidden value.
	 */
	public static final String MASK = "******";

	// a URL inside free text, such as an I/O exception's message
	private static final Pattern URL_IN_TEXT = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>()]+");

	private LocationMasking() {
	}

	/**
	 * Mask a location.
	 * @param location a location as the user wrote it, URI or not
	 * @return the location with user info and query values masked, {@code null} for a
	 * {@code null} location
	 */
	@Contract("!null -> !null")
	public static @Nullable String mask(@Nullable String location) {
		if (location == null) {
			return null;
		}
		return maskQuery(maskUserInfo(location));
	}

	/**
	 * Mask every URL in a text, such as the message of an exception thrown while reading
	 * a location.
	 * @param text the text
	 * @return the text with the user info and query values of its URLs masked,
	 * {@code null} for a {@code null} text
	 */
	@Contract("!null -> !null")
	public static @Nullable String maskUrlsIn(@Nullable String text) {
		if (text == null) {
			return null;
		}
		Matcher matcher = URL_IN_TEXT.matcher(text);
		return matcher.replaceAll((match) -> Matcher.quoteReplacement(mask(match.group())));
	}

	private static String maskUserInfo(String location) {
		int separator = location.indexOf("://");
		if (separator < 0) {
			return location;
		}
		int start = separator + 3;
		int end = start;
		while (end < location.length() && "/?#".indexOf(location.charAt(end)) < 0) {
			end++;
		}
		// a password may contain an unencoded '@': the host follows the last one
		int at = location.lastIndexOf('@', end - 1);
		if (at <= start) {
			return location;
		}
		String userInfo = location.substring(start, at);
		int colon = userInfo.indexOf(':');
		String masked = (colon >= 0) ? userInfo.substring(0, colon + 1) + MASK : MASK;
		return location.substring(0, start) + masked + location.substring(at);
	}

	private static String maskQuery(String location) {
		int question = location.indexOf('?');
		if (question < 0) {
			return location;
		}
		int hash = location.indexOf('#', question);
		int end = (hash >= 0) ? hash : location.length();
		StringBuilder masked = new StringBuilder(location.length()).append(location, 0, question + 1);
		String[] parameters = location.substring(question + 1, end).split("&", -1);
		for (int i = 0; i < parameters.length; i++) {
			if (i > 0) {
				masked.append('&');
			}
			String parameter = parameters[i];
			int equals = parameter.indexOf('=');
			if (equals >= 0) {
				masked.append(parameter, 0, equals + 1);
				if (equals + 1 < parameter.length()) {
					masked.append(MASK);
				}
			}
			else if (!parameter.isEmpty()) {
				// a bare value such as ?s3cr3t may be the secret itself
				masked.append(MASK);
			}
		}
		return masked.append(location, end, location.length()).toString();
	}

}
