<?php
/**
 * The plugin's settings: one option, `georeport_settings`, its defaults and its sanitising.
 *
 * @package georeport
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * What a fresh install holds: nothing is shown until the server is set.
 *
 * @return array<string, string>
 */
function georeport_default_settings() {
	return array(
		'server_url'   => '',
		'jurisdiction' => '',
		'api_key'      => '',
		'language'     => 'auto',
		'center'       => '',
		'zoom'         => '',
		'tile_url'     => '',
		'attribution'  => '',
		'geocoder_url' => '',
		'accent'       => '',
		'accent_text'  => '',
		'text'         => '',
		'background'   => '',
	);
}

/**
 * The settings as saved, completed with the defaults.
 *
 * @return array<string, string>
 */
function georeport_settings() {
	$saved = get_option( 'georeport_settings', array() );
	return array_merge( georeport_default_settings(), is_array( $saved ) ? array_intersect_key( $saved, georeport_default_settings() ) : array() );
}

/**
 * An http(s) URL with a host, ending in a slash, or null.
 *
 * @param string $value What was typed.
 * @return string|null
 */
function georeport_clean_base_url( $value ) {
	$url   = esc_url_raw( trim( $value ), array( 'http', 'https' ) );
	$parts = wp_parse_url( $url );
	if ( '' === $url || empty( $parts['host'] ) || ! in_array( $parts['scheme'] ?? '', array( 'http', 'https' ), true ) ) {
		return null;
	}
	return trailingslashit( $url );
}

/**
 * A tile URL template (`https://tile.example/{z}/{x}/{y}.png`, `{s}` allowed), or null. esc_url_raw()
 * would strip its braces: it is checked with its placeholders filled in, and kept as typed.
 *
 * @param string $value What was typed.
 * @return string|null
 */
function georeport_clean_tile_url( $value ) {
	$value = trim( $value );
	foreach ( array( '{z}', '{x}', '{y}' ) as $placeholder ) {
		if ( false === strpos( $value, $placeholder ) ) {
			return null;
		}
	}
	if ( preg_match( '/[\s"\'<>\\\\]/', $value ) ) {
		return null;
	}
	$filled = preg_replace( '/\{[a-z]+\}/', '0', str_replace( '{s}', 'a', $value ) );
	return null === georeport_clean_base_url( $filled ) ? null : $value;
}

/**
 * `lat,long` in decimal degrees, or null.
 *
 * @param string $value What was typed.
 * @return string|null
 */
function georeport_clean_center( $value ) {
	if ( ! preg_match( '/^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$/', $value, $m ) ) {
		return null;
	}
	$lat  = (float) $m[1];
	$long = (float) $m[2];
	return abs( $lat ) <= 90 && abs( $long ) <= 180 ? $m[1] . ',' . $m[2] : null;
}

/**
 * Checks every setting. A value that is not valid is refused with a message saying why, and the saved
 * one is kept: nothing half-valid is stored.
 *
 * @param mixed $input What the settings form sent.
 * @return array<string, string>
 */
function georeport_sanitize_settings( $input ) {
	$input   = is_array( $input ) ? wp_unslash( $input ) : array();
	$clean   = georeport_settings();
	$text    = function ( $key ) use ( $input ) {
		return isset( $input[ $key ] ) && is_string( $input[ $key ] ) ? trim( $input[ $key ] ) : '';
	};
	$pattern = function ( $regex ) {
		return function ( $value ) use ( $regex ) {
			return preg_match( $regex, $value ) ? $value : null;
		};
	};
	/* translators: %s: the setting's name. */
	$url    = __( '%s must be an http:// or https:// address.', 'georeport' );
	$colour = array( 'sanitize_hex_color', __( 'Colours are written #rrggbb (or #rgb).', 'georeport' ) );
	// Each setting's cleaner (the value as stored, or null when it is not valid) and why it refuses; ''
	// is always valid: the element's default applies.
	$rules = array(
		'server_url'   => array( 'georeport_clean_base_url', sprintf( $url, __( 'The georeport server', 'georeport' ) ) ),
		'jurisdiction' => array( $pattern( '/^[a-z0-9][a-z0-9.-]{0,99}$/' ), __( 'The jurisdiction is a lower-case id such as ville.example.', 'georeport' ) ),
		'api_key'      => array( $pattern( '/^[A-Za-z0-9_-]{1,200}$/' ), __( 'The API key has letters, digits, - and _ only.', 'georeport' ) ),
		'language'     => array( $pattern( '/^(auto|fr|en)$/' ), __( 'The language is automatic, French or English.', 'georeport' ) ),
		'geocoder_url' => array( 'georeport_clean_base_url', sprintf( $url, __( 'The address search service', 'georeport' ) ) ),
		'center'       => array( 'georeport_clean_center', __( 'The map centre is a latitude and a longitude, such as 47.3941,0.6848.', 'georeport' ) ),
		'zoom'         => array( $pattern( '/^([1-9]|1[0-9])$/' ), __( 'The zoom is a whole number from 1 to 19.', 'georeport' ) ),
		'tile_url'     => array( 'georeport_clean_tile_url', __( 'The tile address is an http(s) template with {z}, {x} and {y}.', 'georeport' ) ),
		'accent'       => $colour,
		'accent_text'  => $colour,
		'text'         => $colour,
		'background'   => $colour,
	);
	foreach ( $rules as $key => list( $cleaner, $message ) ) {
		$value   = $text( $key );
		$cleaned = '' === $value ? '' : call_user_func( $cleaner, $value );
		if ( null === $cleaned ) {
			add_settings_error( 'georeport_settings', 'georeport_' . $key, $message );
		} else {
			$clean[ $key ] = $cleaned;
		}
	}
	$clean['attribution'] = mb_substr( sanitize_text_field( $text( 'attribution' ) ), 0, 200 );
	return $clean;
}
