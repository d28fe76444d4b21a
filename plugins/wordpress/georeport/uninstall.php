<?php
/**
 * Deleting the plugin deletes its settings (on every site of a network). The georeport server and its
 * requests are the city's and stay as they are.
 *
 * @package georeport
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $georeport_site ) {
		switch_to_blog( $georeport_site );
		delete_option( 'georeport_settings' );
		restore_current_blog();
	}
} else {
	delete_option( 'georeport_settings' );
}
