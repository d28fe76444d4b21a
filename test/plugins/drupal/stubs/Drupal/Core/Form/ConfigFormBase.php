<?php

declare(strict_types=1);

namespace Drupal\Core\Form;

use Drupal\Core\Config\ConfigFactoryInterface;
use Drupal\Core\Config\TypedConfigManagerInterface;
use Drupal\Core\Messenger\Messenger;
use Drupal\Core\StringTranslation\StringTranslationTrait;

/**
 * A settings form: config() gives the editable configuration, the form gets its save button.
 */
abstract class ConfigFormBase {

  use StringTranslationTrait;

  private Messenger $messenger;

  public function __construct(protected ConfigFactoryInterface $configFactory, protected TypedConfigManagerInterface $typedConfigManager) {
    $this->messenger = new Messenger();
  }

  abstract public function getFormId();

  abstract protected function getEditableConfigNames();

  protected function config($name) {
    return in_array($name, $this->getEditableConfigNames(), TRUE) ? $this->configFactory->getEditable($name) : $this->configFactory->get($name);
  }

  public function messenger() {
    return $this->messenger;
  }

  public function buildForm(array $form, FormStateInterface $form_state) {
    $form['actions']['#type'] = 'actions';
    $form['actions']['submit'] = ['#type' => 'submit', '#value' => $this->t('Save configuration'), '#button_type' => 'primary'];
    $form['#theme'] = 'system_config_form';
    return $form;
  }

  public function validateForm(array &$form, FormStateInterface $form_state) {}

  public function submitForm(array &$form, FormStateInterface $form_state) {
    $this->messenger()->addStatus($this->t('The configuration options have been saved.'));
  }

}
