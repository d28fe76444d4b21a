<?php

/**
 * @file
 * Loads the module (its classes, its .module file) and the stand-ins for Drupal core; real Twig.
 */

declare(strict_types=1);

const GEOREPORT_MODULE = __DIR__ . '/../../../plugins/drupal/georeport';

spl_autoload_register(function (string $class): void {
  $roots = [
    'Drupal\\georeport\\Tests\\' => __DIR__ . '/tests/',
    'Drupal\\georeport\\' => GEOREPORT_MODULE . '/src/',
    '' => __DIR__ . '/stubs/',
  ];
  foreach ($roots as $prefix => $dir) {
    if (str_starts_with($class, $prefix)) {
      $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
      if (is_file($file)) {
        require $file;
      }
      return;
    }
  }
});

require '/usr/share/php/Twig/autoload.php';

/**
 * Drupal's t(), for the .module file.
 */
function t($string, array $args = [], array $options = []) {
  return new Drupal\Core\StringTranslation\TranslatableMarkup($string, $args, $options);
}

require GEOREPORT_MODULE . '/georeport.module';
