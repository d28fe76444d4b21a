<?php

declare(strict_types=1);

namespace Drupal\georeport\Plugin\Block;

use Drupal\Core\Block\BlockBase;
use Drupal\Core\Config\ConfigFactoryInterface;
use Drupal\Core\Form\FormStateInterface;
use Drupal\Core\Plugin\ContainerFactoryPluginInterface;
use Drupal\Core\Session\AccountInterface;
use Drupal\georeport\GeoReportElement;
use Drupal\georeport\Settings;
use Symfony\Component\DependencyInjection\ContainerInterface;

/**
 * What the georeport blocks share: the site's settings, the categories a block offers, and the element.
 *
 * Before the server is set, visitors see nothing and those who may set it see where.
 */
abstract class GeoReportBlockBase extends BlockBase implements ContainerFactoryPluginInterface {

  /**
   * Constructs the block.
   *
   * @param array<string, mixed> $configuration
   *   The block's configuration.
   * @param string $plugin_id
   *   The plugin id.
   * @param mixed $plugin_definition
   *   The plugin definition.
   * @param \Drupal\Core\Config\ConfigFactoryInterface $configFactory
   *   Where georeport.settings is read.
   * @param \Drupal\Core\Session\AccountInterface $currentUser
   *   Who views the block (for the notice before the server is set).
   */
  public function __construct(
    array $configuration,
    $plugin_id,
    $plugin_definition,
    protected ConfigFactoryInterface $configFactory,
    protected AccountInterface $currentUser,
  ) {
    parent::__construct($configuration, $plugin_id, $plugin_definition);
  }

  /**
   * {@inheritdoc}
   */
  public static function create(ContainerInterface $container, array $configuration, $plugin_id, $plugin_definition): static {
    return new static($configuration, $plugin_id, $plugin_definition, $container->get('config.factory'), $container->get('current_user'));
  }

  /**
   * The block's view: one of GeoReportElement::VIEWS.
   */
  abstract protected function view(): string;

  /**
   * {@inheritdoc}
   */
  public function defaultConfiguration(): array {
    return ['services' => ''];
  }

  /**
   * {@inheritdoc}
   */
  public function blockForm($form, FormStateInterface $form_state): array {
    $form['services'] = [
      '#type' => 'textfield',
      '#title' => $this->t('Categories'),
      '#description' => $this->t('Service codes, comma-separated (such as nid-de-poule,lampadaire); empty: all.'),
      '#default_value' => $this->configuration['services'] ?? '',
      '#maxlength' => 1000,
    ];
    return $form;
  }

  /**
   * {@inheritdoc}
   */
  public function blockValidate($form, FormStateInterface $form_state): void {
    $services = str_replace(' ', '', (string) $form_state->getValue('services'));
    if ($services !== '' && !preg_match(GeoReportElement::SERVICES, $services)) {
      $form_state->setErrorByName('services', $this->t('Categories are service codes (letters, digits, . _ -) separated by commas.'));
    }
  }

  /**
   * {@inheritdoc}
   */
  public function blockSubmit($form, FormStateInterface $form_state): void {
    $this->configuration['services'] = str_replace(' ', '', (string) $form_state->getValue('services'));
  }

  /**
   * {@inheritdoc}
   */
  public function build(): array {
    $config = $this->configFactory->get('georeport.settings');
    $settings = [];
    foreach (Settings::KEYS as $key) {
      $settings[$key] = (string) $config->get($key);
    }
    if ($settings['server_url'] === '') {
      return [
        '#markup' => $this->t('georeport: set the server address in Configuration → Web services → georeport to show this block.'),
        '#access' => $this->currentUser->hasPermission('administer site configuration'),
        '#cache' => ['tags' => ['config:georeport.settings'], 'contexts' => ['user.permissions']],
      ];
    }
    return GeoReportElement::build($settings, $this->view(), $this->configuration);
  }

}
