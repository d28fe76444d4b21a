<?php
/**
 * Plugin Name:       georeport
 * Description:       Residents report problems in public space (a pothole, a streetlight out, an overflowing bin) from your site to your city's georeport server: a report form, a public map of requests, a request's status.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            georeport
 * License:           AGPL-3.0-or-later
 * License URI:       https://www.gnu.org/licenses/agpl-3.0.html
 * Text Domain:       georeport
 * Domain Path:       /languages
 *
 * @package georeport
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'GEOREPORT_VERSION', '0.1.0' );
define( 'GEOREPORT_PLUGIN_FILE', __FILE__ );

require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/render.php';
require_once __DIR__ . '/includes/block.php';

if ( is_admin() ) {
	require_once __DIR__ . '/includes/settings-page.php';
}

add_action( 'init', 'georeport_init' );

/**
 * Loads the translations, registers the widget's script (enqueued only by a page that shows an
 * element), the shortcode and the block.
 */
function georeport_init() {
	load_plugin_textdomain( 'georeport', false, dirname( plugin_basename( GEOREPORT_PLUGIN_FILE ) ) . '/languages' );
	// The classic build: WordPress 6.1 has no script modules. In the footer, deferred from 6.3 on (an
	// array fifth argument reads as "in the footer" before 6.3).
	wp_register_script(
		'georeport',
		plugins_url( 'assets/georeport.js', GEOREPORT_PLUGIN_FILE ),
		array(),
		GEOREPORT_VERSION,
		array(
			'in_footer' => true,
			'strategy'  => 'defer',
		)
	);
	add_shortcode( 'georeport', 'georeport_shortcode' );
	georeport_register_block();
}
