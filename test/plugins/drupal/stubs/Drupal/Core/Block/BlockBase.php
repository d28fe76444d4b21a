<?php

declare(strict_types=1);

namespace Drupal\Core\Block;

use Drupal\Core\Form\FormStateInterface;
use Drupal\Core\StringTranslation\StringTranslationTrait;

/**
 * A block plugin: its configuration is its defaults overridden by what was saved.
 */
abstract class BlockBase {

  use StringTranslationTrait;

  protected array $configuration;

  public function __construct(array $configuration, $plugin_id, $plugin_definition) {
    $this->configuration = $configuration + $this->defaultConfiguration()
      + ['id' => $plugin_id, 'label' => '', 'provider' => 'georeport', 'label_display' => 'visible'];
  }

  public function getConfiguration() {
    return $this->configuration;
  }

  public function defaultConfiguration() {
    return [];
  }

  public function blockForm($form, FormStateInterface $form_state) {
    return [];
  }

  public function blockValidate($form, FormStateInterface $form_state) {}

  public function blockSubmit($form, FormStateInterface $form_state) {}

  abstract public function build();

}
