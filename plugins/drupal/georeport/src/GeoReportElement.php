<?php

declare(strict_types=1);

namespace Drupal\georeport;

/**
 * The georeport elements a block prints, with the site's settings, as render arrays.
 */
final class GeoReportElement {

  /**
   * The views, and their element.
   */
  public const VIEWS = [
    'widget' => 'georeport-widget',
    'form' => 'georeport-form',
    'map' => 'georeport-map',
    'mine' => 'georeport-my-requests',
    'status' => 'georeport-status',
  ];

  /**
   * Category codes, comma-separated.
   */
  public const SERVICES = '/^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$/';

  /**
   * A request number.
   */
  public const REQUEST = '/^[1-9][0-9]{0,14}$/';

  /**
   * The element's attributes: the settings that are set, and the block's own.
   *
   * @param array<string, string> $settings
   *   The module's settings.
   * @param string $view
   *   One of VIEWS.
   * @param array<string, string> $options
   *   The block's configuration: services, layout, request.
   *
   * @return array<string, string>
   *   Attribute name => value (values are escaped when printed).
   */
  public static function attributes(array $settings, string $view, array $options): array {
    $setting = fn (string $key): string => (string) ($settings[$key] ?? '');
    $option = fn (string $key): string => (string) ($options[$key] ?? '');
    $attributes = [
      'server' => $setting('server_url'),
      'jurisdiction' => $setting('jurisdiction'),
      'api-key' => $view === 'status' ? '' : $setting('api_key'),
      'lang' => $setting('language') === 'auto' ? '' : $setting('language'),
      'center' => $setting('center'),
      'zoom' => $setting('zoom'),
      'tile-url' => $setting('tile_url'),
      'attribution' => $setting('attribution'),
      'geocoder-url' => $setting('geocoder_url'),
      'services' => preg_match(self::SERVICES, $option('services')) ? $option('services') : '',
      'layout' => $view === 'widget' && $option('layout') === 'side' ? 'side' : '',
      'request-id' => $view === 'status' && preg_match(self::REQUEST, $option('request')) ? $option('request') : '',
    ];
    foreach (Settings::COLORS as $key => $name) {
      $attributes[$name] = $setting($key);
    }
    return array_filter($attributes, fn (string $value): bool => $value !== '');
  }

  /**
   * The render array of a view: the element, its script attached, cached until the settings change.
   *
   * @param array<string, string> $settings
   *   The module's settings.
   * @param string $view
   *   One of VIEWS.
   * @param array<string, string> $options
   *   The block's configuration.
   *
   * @return array<string, mixed>
   *   A render array.
   */
  public static function build(array $settings, string $view, array $options): array {
    return [
      '#theme' => 'georeport_element',
      '#element' => self::VIEWS[$view] ?? self::VIEWS['widget'],
      '#element_attributes' => self::attributes($settings, $view, $options),
      '#attached' => ['library' => ['georeport/widget']],
      '#cache' => ['tags' => ['config:georeport.settings']],
    ];
  }

}
