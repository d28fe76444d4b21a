<?php

declare(strict_types=1);

namespace Drupal\Core\Form;

interface FormStateInterface {

  public function getValue($key, $default = NULL);

  public function setValue($key, $value);

  public function setErrorByName($name, $message = '');

  public function getErrors();

}
