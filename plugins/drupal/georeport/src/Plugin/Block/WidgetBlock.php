<?php

declare(strict_types=1);

namespace Drupal\georeport\Plugin\Block;

use Drupal\Core\Block\Attribute\Block;
use Drupal\Core\Form\FormStateInterface;
use Drupal\Core\StringTranslation\TranslatableMarkup;

/**
 * The report form, the map of requests and "my reports", in tabs or side by side.
 */
#[Block(
  id: 'georeport_widget',
  admin_label: new TranslatableMarkup('georeport: report form and map'),
  category: new TranslatableMarkup('georeport'),
)]
final class WidgetBlock extends GeoReportBlockBase {

  /**
   * {@inheritdoc}
   */
  protected function view(): string {
    return 'widget';
  }

  /**
   * {@inheritdoc}
   */
  public function defaultConfiguration(): array {
    return parent::defaultConfiguration() + ['layout' => ''];
  }

  /**
   * {@inheritdoc}
   */
  public function blockForm($form, FormStateInterface $form_state): array {
    $form = parent::blockForm($form, $form_state);
    $form['layout'] = [
      '#type' => 'select',
      '#title' => $this->t('Layout'),
      '#options' => ['' => $this->t('Tabs'), 'side' => $this->t('Form and map side by side')],
      '#default_value' => $this->configuration['layout'] ?? '',
    ];
    return $form;
  }

  /**
   * {@inheritdoc}
   */
  public function blockSubmit($form, FormStateInterface $form_state): void {
    parent::blockSubmit($form, $form_state);
    $this->configuration['layout'] = $form_state->getValue('layout') === 'side' ? 'side' : '';
  }

}
