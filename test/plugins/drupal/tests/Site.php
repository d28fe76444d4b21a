<?php

declare(strict_types=1);

namespace Drupal\georeport\Tests;

use Drupal\Core\Config\Config;
use Drupal\Core\Config\ConfigFactoryInterface;
use Drupal\Core\Session\AccountInterface;
use Symfony\Component\DependencyInjection\ContainerInterface;

/**
 * A site for the tests: its configuration in memory (starting from the module's config/install), who is
 * looking, and the container the plugins are created from.
 */
final class Site implements ConfigFactoryInterface, AccountInterface {

  /**
   * Saved configuration, by name.
   *
   * @var array<string, array<string, mixed>>
   */
  public array $stored = [];

  /**
   * The current user's permissions.
   *
   * @var string[]
   */
  public array $permissions = [];

  public function __construct(array $settings = []) {
    $this->stored['georeport.settings'] = $settings + self::installed();
  }

  /**
   * georeport.settings as the module installs it (config/install).
   */
  public static function installed(): array {
    static $installed = NULL;
    return $installed ??= Yaml::read(GEOREPORT_MODULE . '/config/install/georeport.settings.yml');
  }

  public function get($name) {
    return new Config($name, $this->stored[$name] ?? []);
  }

  public function getEditable($name) {
    return new Config($name, $this->stored[$name] ?? [], function (string $name, array $data): void {
      $this->stored[$name] = $data;
    });
  }

  public function hasPermission($permission) {
    return in_array($permission, $this->permissions, TRUE);
  }

  /**
   * The services the plugins ask for: config.factory and current_user.
   */
  public function container(): ContainerInterface {
    $site = $this;
    return new class($site) implements ContainerInterface {

      public function __construct(private Site $site) {}

      public function get(string $id, int $invalidBehavior = 1): ?object {
        return match ($id) {
          'config.factory', 'current_user' => $this->site,
          default => throw new \InvalidArgumentException("No service $id here."),
        };
      }

    };
  }

}
