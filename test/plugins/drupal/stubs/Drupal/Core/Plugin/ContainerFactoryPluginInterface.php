<?php

declare(strict_types=1);

namespace Drupal\Core\Plugin;

use Symfony\Component\DependencyInjection\ContainerInterface;

interface ContainerFactoryPluginInterface {

  public static function create(ContainerInterface $container, array $configuration, $plugin_id, $plugin_definition);

}
