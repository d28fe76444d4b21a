<?php
/**
 * The georeport block: dynamic (rendered here, like the shortcode), its editor script with no build step.
 *
 * @package georeport
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Registers the block from its block.json, and the editor script's translations shipped in the plugin.
 */
function georeport_register_block() {
	register_block_type(
		dirname( GEOREPORT_PLUGIN_FILE ) . '/blocks/georeport',
		array( 'render_callback' => 'georeport_render_block' )
	);
	wp_set_script_translations( 'georeport-georeport-editor-script', 'georeport', dirname( GEOREPORT_PLUGIN_FILE ) . '/languages' );
}

/**
 * The block on the page.
 *
 * @param array<string, mixed> $attributes The block's attributes.
 * @return string HTML.
 */
function georeport_render_block( $attributes ) {
	$html = georeport_render( $attributes );
	if ( '' === $html ) {
		return '';
	}
	return '<div ' . get_block_wrapper_attributes() . '>' . $html . '</div>';
}
