<?php
/**
 * The elements the shortcode and the block print, and the shortcode.
 *
 * @package georeport
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The views a page can show, and their element.
 *
 * @return array<string, string>
 */
function georeport_views() {
	return array(
		'widget' => 'georeport-widget',
		'form'   => 'georeport-form',
		'map'    => 'georeport-map',
		'mine'   => 'georeport-my-requests',
		'status' => 'georeport-status',
	);
}

/**
 * One view's options, checked: what is not valid is dropped (the element's default applies).
 *
 * @param array<string, mixed> $options `view`, `services`, `layout`, `request`.
 * @return array<string, string>
 */
function georeport_clean_options( $options ) {
	$get     = function ( $key ) use ( $options ) {
		return isset( $options[ $key ] ) && is_scalar( $options[ $key ] ) ? trim( (string) $options[ $key ] ) : '';
	};
	$view     = $get( 'view' );
	$request  = $get( 'request' );
	$services = str_replace( ' ', '', $get( 'services' ) );
	return array(
		'view'     => array_key_exists( $view, georeport_views() ) ? $view : 'widget',
		'services' => preg_match( '/^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$/', $services ) ? $services : '',
		'layout'   => 'side' === $get( 'layout' ) ? 'side' : '',
		'request'  => preg_match( '/^[1-9][0-9]{0,14}$/', $request ) ? $request : '',
	);
}

/**
 * The element of a view with the site's settings, its script enqueued (once per page, in the footer).
 * Before the server is set, visitors see nothing and those who can set it see how to.
 *
 * @param array<string, mixed> $options See georeport_clean_options().
 * @return string HTML.
 */
function georeport_render( $options ) {
	$settings = georeport_settings();
	if ( '' === $settings['server_url'] ) {
		if ( ! current_user_can( 'manage_options' ) ) {
			return '';
		}
		return '<p class="georeport-notice">' . esc_html__( 'georeport: set the server address in Settings → georeport to show the report form here.', 'georeport' ) . '</p>';
	}
	$options    = georeport_clean_options( $options );
	$element    = georeport_views()[ $options['view'] ];
	$attributes = array(
		'server'       => $settings['server_url'],
		'jurisdiction' => $settings['jurisdiction'],
		'api-key'      => 'status' === $options['view'] ? '' : $settings['api_key'],
		'lang'         => 'auto' === $settings['language'] ? '' : $settings['language'],
		'center'       => $settings['center'],
		'zoom'         => $settings['zoom'],
		'tile-url'     => $settings['tile_url'],
		'attribution'  => $settings['attribution'],
		'geocoder-url' => $settings['geocoder_url'],
		'services'     => $options['services'],
		'layout'       => 'widget' === $options['view'] ? $options['layout'] : '',
		'request-id'   => 'status' === $options['view'] ? $options['request'] : '',
	);
	// Colours as the element's attributes, not a style attribute: a page policy without 'unsafe-inline' keeps them.
	foreach ( array( 'accent' => 'accent', 'accent_text' => 'accent-text', 'text' => 'text-color', 'background' => 'background-color' ) as $key => $name ) {
		$attributes[ $name ] = $settings[ $key ];
	}

	$html = '<' . $element;
	foreach ( $attributes as $name => $value ) {
		if ( '' !== $value ) {
			$html .= ' ' . $name . '="' . ( in_array( $name, array( 'server', 'geocoder-url' ), true ) ? esc_url( $value ) : esc_attr( $value ) ) . '"';
		}
	}
	wp_enqueue_script( 'georeport' );
	return $html . '></' . $element . '>';
}

/**
 * `[georeport]`, `[georeport view="map" services="nid-de-poule,lampadaire"]`, `[georeport view="status" request="123"]`.
 *
 * @param array<string, string>|string $atts The shortcode's attributes.
 * @return string HTML.
 */
function georeport_shortcode( $atts ) {
	$atts = shortcode_atts(
		array(
			'view'     => 'widget',
			'services' => '',
			'layout'   => '',
			'request'  => '',
		),
		is_array( $atts ) ? $atts : array(),
		'georeport'
	);
	return georeport_render( $atts );
}
