<?php
/**
 * Settings → georeport: the server, the jurisdiction and its public key, the language, the map and the
 * colours, with the Settings API; and whether the server answers.
 *
 * @package georeport
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

add_action( 'admin_init', 'georeport_register_settings' );
add_action( 'admin_menu', 'georeport_add_settings_page' );
add_filter( 'plugin_action_links_' . plugin_basename( GEOREPORT_PLUGIN_FILE ), 'georeport_settings_link' );

/**
 * The fields of the settings page: label, type, help.
 *
 * @return array<string, array<string, mixed>>
 */
function georeport_settings_fields() {
	return array(
		'server_url'   => array( __( 'georeport server', 'georeport' ), 'url', __( 'Its address, such as https://311.ville.example/', 'georeport' ), 'server' ),
		'jurisdiction' => array( __( 'Jurisdiction', 'georeport' ), 'text', __( 'The jurisdiction_id of your town on the server (empty when it has only one).', 'georeport' ), 'server' ),
		'api_key'      => array( __( 'Public API key', 'georeport' ), 'text', __( 'The key the server gave for this site (georeport keys create).', 'georeport' ), 'server' ),
		'language'     => array( __( 'Language', 'georeport' ), 'language', __( 'Automatic follows the page’s language.', 'georeport' ), 'server' ),
		'geocoder_url' => array( __( 'Address search', 'georeport' ), 'url', __( 'A Base Adresse Nationale-compatible service, such as https://api-adresse.data.gouv.fr/ (empty: none).', 'georeport' ), 'server' ),
		'center'       => array( __( 'Map centre', 'georeport' ), 'text', __( 'Latitude,longitude, such as 47.3941,0.6848.', 'georeport' ), 'map' ),
		'zoom'         => array( __( 'Map zoom', 'georeport' ), 'zoom', __( 'From 1 (the world) to 19 (a street).', 'georeport' ), 'map' ),
		'tile_url'     => array( __( 'Map tiles', 'georeport' ), 'text', __( 'A template such as https://tile.example/{z}/{x}/{y}.png (empty: OpenStreetMap).', 'georeport' ), 'map' ),
		'attribution'  => array( __( 'Tiles credit', 'georeport' ), 'text', __( 'Shown under the map (empty: OpenStreetMap’s with its tiles).', 'georeport' ), 'map' ),
		'accent'       => array( __( 'Accent colour', 'georeport' ), 'color', __( 'Buttons and links, #rrggbb.', 'georeport' ), 'colours' ),
		'accent_text'  => array( __( 'Text on the accent colour', 'georeport' ), 'color', '', 'colours' ),
		'text'         => array( __( 'Text colour', 'georeport' ), 'color', '', 'colours' ),
		'background'   => array( __( 'Background colour', 'georeport' ), 'color', '', 'colours' ),
	);
}

/**
 * The option, its sanitising, its sections and fields.
 */
function georeport_register_settings() {
	register_setting(
		'georeport',
		'georeport_settings',
		array(
			'type'              => 'array',
			'sanitize_callback' => 'georeport_sanitize_settings',
			'default'           => georeport_default_settings(),
		)
	);
	$sections = array(
		'server'  => __( 'The server', 'georeport' ),
		'map'     => __( 'The map', 'georeport' ),
		'colours' => __( 'Colours', 'georeport' ),
	);
	foreach ( $sections as $id => $title ) {
		add_settings_section( 'georeport_' . $id, $title, '__return_false', 'georeport' );
	}
	foreach ( georeport_settings_fields() as $key => list( $label, $type, $help, $section ) ) {
		add_settings_field(
			'georeport_' . $key,
			$label,
			'georeport_render_field',
			'georeport',
			'georeport_' . $section,
			array(
				'label_for' => 'georeport_' . $key,
				'key'       => $key,
				'type'      => $type,
				'help'      => $help,
			)
		);
	}
}

/**
 * One field, its value escaped.
 *
 * @param array<string, string> $args The field's key, type and help.
 */
function georeport_render_field( $args ) {
	$settings = georeport_settings();
	$key      = $args['key'];
	$id       = 'georeport_' . $key;
	$name     = 'georeport_settings[' . $key . ']';
	$value    = $settings[ $key ];
	$help_id  = $id . '_help';
	$describe = '' === $args['help'] ? '' : ' aria-describedby="' . esc_attr( $help_id ) . '"';
	if ( 'language' === $args['type'] ) {
		echo '<select id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '"' . $describe . '>'; // phpcs:ignore WordPress.Security.EscapeOutput -- built from escaped parts.
		foreach ( array( 'auto' => __( 'Automatic', 'georeport' ), 'fr' => 'Français', 'en' => 'English' ) as $option => $label ) {
			echo '<option value="' . esc_attr( $option ) . '"' . selected( $value, $option, false ) . '>' . esc_html( $label ) . '</option>';
		}
		echo '</select>';
	} else {
		$input = array(
			'url'   => 'type="url" class="regular-text code"',
			'text'  => 'type="text" class="regular-text"',
			'zoom'  => 'type="number" min="1" max="19" step="1" class="small-text"',
			'color' => 'type="text" class="small-text code" pattern="#([0-9a-fA-F]{3}){1,2}" placeholder="#0b5cad"',
		)[ $args['type'] ];
		echo '<input id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '" value="' . esc_attr( $value ) . '" ' . $input . $describe . ' />'; // phpcs:ignore WordPress.Security.EscapeOutput -- built from escaped parts and constants.
	}
	if ( '' !== $args['help'] ) {
		echo '<p class="description" id="' . esc_attr( $help_id ) . '">' . esc_html( $args['help'] ) . '</p>';
	}
}

/**
 * Settings → georeport.
 */
function georeport_add_settings_page() {
	add_options_page( 'georeport', 'georeport', 'manage_options', 'georeport', 'georeport_render_settings_page' );
}

/**
 * The page: whether the server answers, the form, and how to place the widget.
 */
function georeport_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	echo '<div class="wrap"><h1>' . esc_html__( 'georeport', 'georeport' ) . '</h1>';
	georeport_render_connection();
	echo '<form action="options.php" method="post">';
	settings_fields( 'georeport' );
	do_settings_sections( 'georeport' );
	submit_button();
	echo '</form>';
	echo '<h2>' . esc_html__( 'On a page', 'georeport' ) . '</h2><p>';
	echo esc_html__( 'Add the georeport block, or one of these shortcodes:', 'georeport' ) . '</p><ul>';
	foreach ( array(
		'[georeport]'                                => __( 'the report form and the map', 'georeport' ),
		'[georeport view="map" services="a,b"]'      => __( 'the map only, for some categories', 'georeport' ),
		'[georeport view="status" request="123"]'    => __( 'one request’s status', 'georeport' ),
		'[georeport view="mine"]'                    => __( 'the reports filed or followed on the visitor’s device', 'georeport' ),
	) as $code => $what ) {
		echo '<li><code>' . esc_html( $code ) . '</code> — ' . esc_html( $what ) . '</li>';
	}
	echo '</ul></div>';
}

/**
 * Whether the server answers, and with how many categories for the jurisdiction.
 */
function georeport_render_connection() {
	$settings = georeport_settings();
	if ( '' === $settings['server_url'] ) {
		echo '<div class="notice notice-info inline"><p>' . esc_html__( 'Set the address of your georeport server to show the widget.', 'georeport' ) . '</p></div>';
		return;
	}
	$query    = '' === $settings['jurisdiction'] ? '' : '?jurisdiction_id=' . rawurlencode( $settings['jurisdiction'] );
	$response = wp_remote_get( $settings['server_url'] . 'open311/v2/services.json' . $query, array( 'timeout' => 5 ) );
	$services = is_wp_error( $response ) || 200 !== wp_remote_retrieve_response_code( $response ) ? null : json_decode( wp_remote_retrieve_body( $response ), true );
	if ( is_array( $services ) ) {
		/* translators: %d: the number of categories. */
		$message = sprintf( _n( 'The server answers: %d category to report.', 'The server answers: %d categories to report.', count( $services ), 'georeport' ), count( $services ) );
		echo '<div class="notice notice-success inline"><p>' . esc_html( $message ) . '</p></div>';
	} else {
		$reason = is_wp_error( $response ) ? $response->get_error_message() : 'HTTP ' . wp_remote_retrieve_response_code( $response );
		/* translators: %s: why. */
		echo '<div class="notice notice-error inline"><p>' . esc_html( sprintf( __( 'The server does not answer as expected (%s): check its address and the jurisdiction.', 'georeport' ), $reason ) ) . '</p></div>';
	}
}

/**
 * A "Settings" link on the Plugins screen.
 *
 * @param string[] $links The plugin's links.
 * @return string[]
 */
function georeport_settings_link( $links ) {
	array_unshift( $links, '<a href="' . esc_url( admin_url( 'options-general.php?page=georeport' ) ) . '">' . esc_html__( 'Settings', 'georeport' ) . '</a>' );
	return $links;
}
