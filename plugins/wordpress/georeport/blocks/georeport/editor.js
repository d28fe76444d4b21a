/**
 * The georeport block in the editor: a placeholder saying what the page will show, and the block's
 * settings in the sidebar. Rendered by PHP on the page (a dynamic block); no build step.
 */
( function ( blocks, element, blockEditor, components, i18n ) {
	var el = element.createElement;
	var __ = i18n.__;
	var InspectorControls = blockEditor.InspectorControls;
	var PanelBody = components.PanelBody;
	var SelectControl = components.SelectControl;
	var TextControl = components.TextControl;
	var Placeholder = components.Placeholder;

	var views = [
		{ value: 'widget', label: __( 'Report form and map', 'georeport' ) },
		{ value: 'form', label: __( 'Report form only', 'georeport' ) },
		{ value: 'map', label: __( 'Map of requests only', 'georeport' ) },
		{ value: 'mine', label: __( 'My reports', 'georeport' ) },
		{ value: 'status', label: __( 'One request’s status', 'georeport' ) },
	];
	var labelOf = function ( view ) {
		var found = views.filter( function ( v ) {
			return v.value === view;
		} )[ 0 ];
		return found ? found.label : views[ 0 ].label;
	};

	blocks.registerBlockType( 'georeport/georeport', {
		title: 'georeport',
		description: __( 'Report form and public map of requests to the city, or one request’s status.', 'georeport' ),
		edit: function ( props ) {
			var a = props.attributes;
			var set = function ( key ) {
				return function ( value ) {
					var change = {};
					change[ key ] = value;
					props.setAttributes( change );
				};
			};
			var controls = [
				el( SelectControl, { key: 'view', label: __( 'What to show', 'georeport' ), value: a.view, options: views, onChange: set( 'view' ) } ),
			];
			if ( a.view === 'status' ) {
				controls.push( el( TextControl, { key: 'request', label: __( 'Request number', 'georeport' ), value: a.request, onChange: set( 'request' ) } ) );
			} else {
				controls.push(
					el( TextControl, {
						key: 'services',
						label: __( 'Categories (codes, comma-separated; empty: all)', 'georeport' ),
						value: a.services,
						onChange: set( 'services' ),
					} )
				);
			}
			if ( a.view === 'widget' ) {
				controls.push(
					el( SelectControl, {
						key: 'layout',
						label: __( 'Layout', 'georeport' ),
						value: a.layout,
						options: [
							{ value: '', label: __( 'Tabs', 'georeport' ) },
							{ value: 'side', label: __( 'Form and map side by side', 'georeport' ) },
						],
						onChange: set( 'layout' ),
					} )
				);
			}
			return el(
				'div',
				blockEditor.useBlockProps(),
				el( InspectorControls, null, el( PanelBody, { title: __( 'georeport', 'georeport' ) }, controls ) ),
				el( Placeholder, {
					icon: 'location-alt',
					label: 'georeport — ' + labelOf( a.view ),
					instructions: __( 'Shown here on the published page. The server and the map are set in Settings → georeport.', 'georeport' ),
				} )
			);
		},
		save: function () {
			return null;
		},
	} );
} )( window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components, window.wp.i18n );
